/* What the person sends: texts and button choices go to the outbox (kept across reloads), show as
 * pending, and leave as soon as the conversation's socket can take them.
 */

import { connect, ensureConversation, transmit } from "./connection.js";
import { addPending } from "./messages.js";

function newClientId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.prototype.map
    .call(bytes, (b) => ("0" + b.toString(16)).slice(-2))
    .join("");
}

function queue(w, entry) {
  const state = w.state;
  w.ui.errorBox.textContent = "";
  state.outbox.push(entry);
  w.save();
  addPending(w, entry);
  if (!state.id) ensureConversation(w);
  else if (!state.socket) connect(w);
  else transmit(w, entry);
}

export function sendText(w, text) {
  queue(w, { type: "message", text: text, label: text, client_id: newClientId() });
}

export function sendPayload(w, payload, label) {
  queue(w, { type: "payload", payload: payload, label: label, client_id: newClientId() });
  w.ui.input.focus();
}
