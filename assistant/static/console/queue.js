/* The queue: handoffs waiting for an agent and the agent's own, kept live by a stream of events. */

import { duration, parseDate } from "/common/static/dates.js";
import { announce, byId, el, showError } from "/common/static/dom.js";
import { liveStream } from "/common/static/sse.js";
import { api } from "./api.js";
import { renderMeta, renderStatus, selectHandoff } from "./detail.js";
import { CHANNEL_LABELS, PRIORITY_LABELS, REASON_LABELS, label, situationsText } from "./labels.js";
import { isMine, state } from "./state.js";

function sortedWaiting() {
  return [...state.waiting.values()].sort((a, b) => {
    if (b.priority !== a.priority) return b.priority - a.priority;
    return (parseDate(a.created_at) || 0) - (parseDate(b.created_at) || 0);
  });
}

function sortedMine() {
  return [...state.mine.values()].sort(
    (a, b) => (parseDate(b.claimed_at) || 0) - (parseDate(a.claimed_at) || 0)
  );
}

async function loadQueue() {
  state.queueLoading = [];
  try {
    const [waiting, active] = await Promise.all([
      api("GET", "/api/handoffs?status=waiting"),
      api("GET", "/api/handoffs?status=active"),
    ]);
    state.waiting = new Map(waiting.handoffs.map((h) => [h.id, h]));
    state.mine = new Map(
      active.handoffs.filter((h) => h.agent_id === state.agent.id).map((h) => [h.id, h])
    );
    const replay = state.queueLoading;
    state.queueLoading = null;
    for (const event of replay) applyQueueEvent(event, false);
    renderQueue();
    byId("queue").dataset.loaded = "true";
  } catch (error) {
    state.queueLoading = null;
    if (error.status !== 401) byId("queue-state").textContent = error.message;
  }
}

function queueItem(handoff, mine) {
  const priority = Number(handoff.priority) || 1;
  const button = el("button", "handoff-item priority-" + priority);
  button.type = "button";
  button.dataset.id = handoff.id;
  if (handoff.id === state.selected) button.setAttribute("aria-current", "true");
  const first = el(
    "span",
    "line first",
    el("span", "badge priority-" + priority, "Priorité " + label(PRIORITY_LABELS, priority)),
    situationsText(handoff)
  );
  const since = mine ? handoff.claimed_at || handoff.created_at : handoff.created_at;
  const waited = el("span", "waited", duration(since));
  waited.dataset.since = since || "";
  const second = el(
    "span",
    "line second",
    mine ? "Prise en charge depuis " : "En attente depuis ",
    waited,
    " · " + label(CHANNEL_LABELS, handoff.channel) + " · " + label(REASON_LABELS, handoff.reason)
  );
  const last = handoff.last_message;
  const preview = el(
    "span",
    "line preview",
    last && last.text ? "Dernier message : « " + last.text + " »" : "Aucun message écrit par la personne."
  );
  button.append(first, second, preview);
  button.addEventListener("click", () => selectHandoff(handoff.id));
  return el("li", "", button);
}

function renderList(listId, emptyId, countId, items, mine) {
  const list = byId(listId);
  const active = document.activeElement;
  const focusedId = active && list.contains(active) ? active.dataset.id : null;
  list.replaceChildren(...items.map((h) => queueItem(h, mine)));
  byId(emptyId).hidden = items.length > 0;
  byId(countId).textContent = String(items.length);
  if (focusedId) {
    const again = list.querySelector('button[data-id="' + CSS.escape(focusedId) + '"]');
    (again || byId("queue-title")).focus();
  }
}

export function renderQueue() {
  renderList("waiting-list", "waiting-empty", "waiting-count", sortedWaiting(), false);
  renderList("mine-list", "mine-empty", "mine-count", sortedMine(), true);
}

export function refreshDurations() {
  for (const span of document.querySelectorAll(".waited")) {
    span.textContent = duration(span.dataset.since);
  }
  if (state.detail) renderMeta();
}

function applyQueueEvent(data, live) {
  const handoff = data.handoff;
  if (!handoff || !handoff.id) return;
  const me = state.agent && state.agent.id;
  if (data.event === "created") {
    const isNew = !state.waiting.has(handoff.id);
    state.waiting.set(handoff.id, handoff);
    if (live && isNew) {
      announce(
        "Nouvelle demande en attente : " +
          situationsText(handoff) +
          ", priorité " +
          label(PRIORITY_LABELS, handoff.priority) +
          ", " +
          label(REASON_LABELS, handoff.reason) +
          "."
      );
    }
  } else if (data.event === "claimed" || data.event === "transferred") {
    state.waiting.delete(handoff.id);
    if (handoff.agent_id === me) {
      if (live && data.event === "transferred" && !state.mine.has(handoff.id)) {
        announce("Une conversation vous a été transférée : " + situationsText(handoff) + ".");
      }
      state.mine.set(handoff.id, handoff);
    } else {
      state.mine.delete(handoff.id);
    }
  } else if (data.event === "updated") {
    if (state.waiting.has(handoff.id)) state.waiting.set(handoff.id, handoff);
    if (state.mine.has(handoff.id)) state.mine.set(handoff.id, handoff);
  } else if (data.event === "closed") {
    state.waiting.delete(handoff.id);
    state.mine.delete(handoff.id);
  } else {
    return;
  }
  if (live && state.detail && state.detail.id === handoff.id) {
    const wasMine = isMine();
    Object.assign(state.detail, handoff);
    renderStatus();
    if (wasMine && !isMine() && handoff.status === "active") {
      const other = handoff.agent_name || "un autre conseiller";
      showError("detail-error", "Cette conversation est maintenant suivie par " + other + ".");
    }
  }
}

function onQueueEvent(data) {
  if (state.queueLoading) state.queueLoading.push(data);
  applyQueueEvent(data, true);
  renderQueue();
}

const queueStream = liveStream("queue", {
  onOpen: () => {
    byId("queue-state").textContent = "";
    loadQueue(); // also catches up on what happened while the stream was down
  },
  onMessage: onQueueEvent,
  onLost: () => {
    byId("queue-state").textContent = "Connexion au direct perdue : reconnexion en cours…";
  },
  reconnect: reconnectQueue,
});

export function closeQueueStream() {
  queueStream.close();
}

export function openQueueStream() {
  queueStream.open("/api/handoffs/events");
}

async function reconnectQueue() {
  try {
    await api("GET", "/api/auth/me");
  } catch (error) {
    if (error.status === 401) return; // sessionExpired() already ran
  }
  if (state.agent) openQueueStream();
}
