/* The selected handoff: its status line, its packet and transcript, and its live conversation. */

import { clock, duration } from "/common/static/dates.js";
import { byId, showError } from "/common/static/dom.js";
import { liveStream } from "/common/static/sse.js";
import { renderAgents } from "./agents.js";
import { api } from "./api.js";
import {
  CHANNEL_LABELS,
  OUTCOME_LABELS,
  PRIORITY_LABELS,
  REASON_LABELS,
  STATUS_LABELS,
  label,
  situationsText,
} from "./labels.js";
import { renderPacket } from "./packet.js";
import { renderQueue } from "./queue.js";
import { isMine, state } from "./state.js";
import { addMessage, renderNotes, renderTranscript } from "./transcript.js";

export async function selectHandoff(id) {
  state.selected = id;
  renderQueue();
  showError("detail-error", "");
  try {
    const detail = await api("GET", "/api/handoffs/" + encodeURIComponent(id));
    if (state.selected !== id) return;
    renderDetail(detail);
    openConversationStream(id);
    byId("detail-title").focus();
  } catch (error) {
    if (error.status !== 401) showError("detail-error", error.message);
  }
}

export function renderMeta() {
  const d = state.detail;
  const parts = [
    "Statut : " + label(STATUS_LABELS, d.status),
    "canal : " + label(CHANNEL_LABELS, d.channel),
    "motif : " + label(REASON_LABELS, d.reason),
    "priorité " + label(PRIORITY_LABELS, d.priority),
    "demande reçue à " + clock(d.created_at),
  ];
  if (d.status === "waiting") parts.push("en attente depuis " + duration(d.created_at));
  if (d.status === "active") {
    parts.push("suivie par " + (d.agent_id === state.agent.id ? "vous" : d.agent_name || "un autre conseiller"));
  }
  if (d.status === "closed" && d.outcome) parts.push("résultat : " + label(OUTCOME_LABELS, d.outcome));
  byId("detail-meta").textContent = parts.join(" · ") + ".";
}

export function renderStatus() {
  const d = state.detail;
  renderMeta();
  byId("detail-body").dataset.status = d.status;
  byId("claim-area").hidden = d.status !== "waiting";
  byId("owner-tools").hidden = !isMine();
  if (!isMine()) closeConversationStreamIfClosed();
}

function closeConversationStreamIfClosed() {
  if (state.detail && state.detail.status === "closed") closeConversationStream();
}

function renderDetail(detail) {
  state.detail = detail;
  const packet = detail.packet || {};
  byId("detail-placeholder").hidden = true;
  byId("detail-body").hidden = false;
  byId("detail-title").textContent = "Demande : " + situationsText(detail);
  renderStatus();
  renderPacket(packet);
  state.messages = new Map((detail.transcript || []).map((m) => [m.id, m]));
  renderTranscript();
  renderNotes(detail.notes || []);
  byId("reply-text").value = "";
  byId("note-text").value = "";
  byId("close-outcome").value = ""; // chosen for this conversation, never carried over from the last
  renderAgents();
}

/* The live conversation of the selected handoff: only one at a time, so one stream. */
let streamed = null; // the id of the handoff the stream follows

const conversationStream = liveStream("detail", {
  onOpen: () => {
    if (state.convReconnecting) {
      state.convReconnecting = false;
      refreshTranscript(streamed);
    }
  },
  onMessage: (data) => {
    if (state.selected !== streamed) return;
    if (data.event === "message") addMessage(data.message, true);
    else if (data.event === "delivered" && (data.ids || []).some((id) => !state.messages.has(id))) {
      refreshTranscript(streamed); // messages announced by id only (the bot's, after a hand-back)
    }
  },
  onLost: () => {
    state.convReconnecting = true;
  },
  reconnect: () => {
    if (state.agent && state.selected === streamed) openConversationStream(streamed);
  },
});

export function closeConversationStream() {
  conversationStream.close();
}

function openConversationStream(id) {
  closeConversationStream();
  if (!state.detail || state.detail.status === "closed") return;
  streamed = id;
  conversationStream.open("/api/handoffs/" + encodeURIComponent(id) + "/events");
}

export async function refreshTranscript(id) {
  try {
    const detail = await api("GET", "/api/handoffs/" + encodeURIComponent(id));
    if (state.selected !== id) return;
    for (const message of detail.transcript || []) addMessage(message, false);
    Object.assign(state.detail, detail);
    renderStatus();
  } catch (error) {
    // The next reconnection tries again.
  }
}
