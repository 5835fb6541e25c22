/* The exchange with the person (in id order, live) and the agents' internal notes. */

import { clock } from "/common/static/dates.js";
import { announce, byId, el, fillList } from "/common/static/dom.js";
import { ROLE_LABELS, label } from "./labels.js";
import { state } from "./state.js";

function messageItem(message) {
  const role = message.role || "system";
  const item = el(
    "li",
    "from-" + role,
    el("span", "role", label(ROLE_LABELS, role) + (message.created_at ? " — " + clock(message.created_at) : "")),
    el("span", "text", message.text || (message.payload ? "[bouton] " + message.payload : ""))
  );
  item.dataset.id = String(message.id);
  item.dataset.role = role;
  return item;
}

export function renderTranscript() {
  const list = byId("transcript");
  const sorted = [...state.messages.values()].sort((a, b) => a.id - b.id);
  list.replaceChildren(...sorted.map(messageItem));
  list.scrollTop = list.scrollHeight;
}

export function addMessage(message, live) {
  if (!message || message.id === undefined || state.messages.has(message.id)) return;
  const list = byId("transcript");
  const last = list.lastElementChild;
  state.messages.set(message.id, message);
  if (!last || Number(last.dataset.id) < message.id) {
    list.append(messageItem(message));
    list.scrollTop = list.scrollHeight;
  } else {
    renderTranscript();
  }
  if (live && message.role === "user") announce("Nouveau message de la personne : " + (message.text || ""));
}

export function renderNotes(notes) {
  fillList(
    "notes-list",
    notes,
    (n) => el("li", "", el("span", "meta", clock(n.created_at) + " — " + (n.agent_name || "") + " : "), n.text),
    "Aucune note."
  );
}
