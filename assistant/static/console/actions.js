/* What the agent does with the selected handoff: claim it, reply, add a note, transfer, close. */

import { clock } from "/common/static/dates.js";
import { announce, byId, el, showError } from "/common/static/dom.js";
import { api } from "./api.js";
import { closeConversationStream, refreshTranscript, renderStatus } from "./detail.js";
import { renderQueue } from "./queue.js";
import { state } from "./state.js";
import { addMessage } from "./transcript.js";

export async function onClaim() {
  const id = state.selected;
  const button = byId("claim");
  button.disabled = true;
  showError("detail-error", "");
  try {
    const handoff = await api("POST", "/api/handoffs/" + encodeURIComponent(id) + "/claim");
    Object.assign(state.detail, handoff);
    const queued = state.waiting.get(id) || state.mine.get(id);
    state.waiting.delete(id);
    state.mine.set(id, { last_message: queued ? queued.last_message : null, ...handoff });
    renderQueue();
    renderStatus();
    announce("Vous avez pris en charge cette conversation.");
    byId("reply-text").focus();
  } catch (error) {
    showError("detail-error", error.message);
    if (error.status === 409) {
      state.waiting.delete(id);
      renderQueue();
      await refreshTranscript(id);
    }
  } finally {
    button.disabled = false;
  }
}

export async function onReply(event) {
  event.preventDefault();
  const box = byId("reply-text");
  const text = box.value.trim();
  showError("detail-error", "");
  if (!text) {
    showError("detail-error", "Écrivez un message avant de l'envoyer.");
    box.focus();
    return;
  }
  const button = byId("reply-send");
  button.disabled = true;
  try {
    const message = await api("POST", "/api/handoffs/" + encodeURIComponent(state.selected) + "/messages", { text });
    addMessage(message, false);
    box.value = "";
    announce("Message envoyé.");
  } catch (error) {
    showError("detail-error", error.message);
  } finally {
    button.disabled = false;
    box.focus();
  }
}

export function onReplyKey(event) {
  const modified = event.shiftKey || event.ctrlKey || event.altKey || event.metaKey;
  if (event.key === "Enter" && !modified && !event.isComposing) {
    event.preventDefault();
    byId("reply-form").requestSubmit();
  }
}

export function onInsertCanned() {
  const select = byId("canned");
  const reply = state.replies[Number(select.value)];
  const box = byId("reply-text");
  if (!reply) {
    showError("detail-error", "Choisissez d'abord une réponse type.");
    select.focus();
    return;
  }
  box.value = box.value.trim() ? box.value.trimEnd() + " " + reply.text : reply.text;
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
  announce("Réponse type « " + reply.title + " » insérée.");
}

export async function onNote(event) {
  event.preventDefault();
  const box = byId("note-text");
  const text = box.value.trim();
  showError("detail-error", "");
  if (!text) {
    showError("detail-error", "Écrivez la note avant de l'ajouter.");
    box.focus();
    return;
  }
  try {
    const note = await api("POST", "/api/handoffs/" + encodeURIComponent(state.selected) + "/notes", { text });
    const list = byId("notes-list");
    if (list.querySelector(".muted")) list.replaceChildren();
    list.append(
      el("li", "", el("span", "meta", clock(note.created_at) + " — " + state.agent.display_name + " : "), note.text)
    );
    box.value = "";
    announce("Note ajoutée.");
  } catch (error) {
    showError("detail-error", error.message);
  }
}

export async function onTransfer(event) {
  event.preventDefault();
  const select = byId("transfer-agent");
  const agentId = Number(select.value);
  showError("detail-error", "");
  if (!agentId) {
    showError("detail-error", "Choisissez le conseiller à qui transférer la conversation.");
    select.focus();
    return;
  }
  try {
    const handoff = await api("POST", "/api/handoffs/" + encodeURIComponent(state.selected) + "/transfer", {
      agent_id: agentId,
    });
    Object.assign(state.detail, handoff);
    state.mine.delete(handoff.id);
    renderQueue();
    renderStatus();
    announce("Conversation transférée à " + (handoff.agent_name || "un autre conseiller") + ".");
    byId("detail-title").focus();
  } catch (error) {
    showError("detail-error", error.message);
  }
}

/** Close the conversation, or hand it back to the bot. */
export async function finish(backToBot) {
  const select = byId("close-outcome");
  const outcome = select.value;
  showError("detail-error", "");
  if (!outcome) {
    showError("detail-error", "Choisissez le résultat de la conversation avant de la terminer.");
    select.focus();
    return;
  }
  try {
    const handoff = await api("POST", "/api/handoffs/" + encodeURIComponent(state.selected) + "/close", {
      outcome,
      back_to_bot: backToBot,
    });
    Object.assign(state.detail, handoff);
    state.mine.delete(handoff.id);
    renderQueue();
    renderStatus();
    closeConversationStream();
    announce(backToBot ? "La conversation est rendue au bot." : "La conversation est close.");
    byId("detail-title").focus();
  } catch (error) {
    showError("detail-error", error.message);
  }
}
