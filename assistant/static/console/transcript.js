/* The exchange with the person (in id order, live) and the agents' internal notes. */

import { clock } from "/common/static/dates.js";
import { announce, byId, el, fillList } from "/common/static/dom.js";
import { ROLE_LABELS, label } from "./labels.js";
import { state } from "./state.js";

/**
 * The title of the button the person pressed: a button's payload (the widget sends only the payload;
 * an SMS sends its number) is looked up in the buttons of the messages before it, latest first.
 */
export function buttonTitle(message) {
  if (!message.payload) return null;
  let found = null;
  for (const earlier of state.messages.values()) {
    if (earlier.id >= message.id || (found && earlier.id < found.id)) continue;
    const button = (earlier.buttons || []).find((b) => b.payload === message.payload);
    if (button) found = { id: earlier.id, title: button.title };
  }
  return found ? found.title : null;
}

function messageText(message) {
  const title = buttonTitle(message);
  if (title) return el("span", "text", el("span", "choice", "Bouton choisi : "), title);
  if (message.text) return el("span", "text", message.text);
  return el("span", "text", message.payload ? "Bouton choisi (libellé inconnu)" : "");
}

function messageItem(message) {
  const role = message.role || "system";
  const item = el(
    "li",
    "from-" + role,
    el("span", "role", label(ROLE_LABELS, role) + (message.created_at ? " — " + clock(message.created_at) : "")),
    messageText(message)
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
  if (live && message.role === "user") {
    announce("Nouveau message de la personne : " + (buttonTitle(message) || message.text || ""));
  }
}

export function renderNotes(notes) {
  fillList(
    "notes-list",
    notes,
    (n) => el("li", "", el("span", "meta", clock(n.created_at) + " — " + (n.agent_name || "") + " : "), n.text),
    "Aucune note."
  );
}
