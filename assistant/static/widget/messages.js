/* The conversation's messages in the log: the server's, in id order, and the person's own while
 * they are being sent ("Envoi en cours…"), always last. Each function takes the widget (main.js).
 */

import { appendLinkified, el, srOnly } from "./dom.js";
import { noteArrival } from "./unread.js";

const TYPING_TIMEOUT_MS = 30000;
const ROLE_LABELS = { user: "Vous", bot: "Assistant", agent: "Conseiller", system: "Information" };
// The plan's printable page and its calendar file, as the plan message links them.
const PLAN_URL = /https?:\/\/[^\s<>"'«»]+\/plans\/[A-Za-z0-9_-]+(\.ics)?(?=[\s.,;:!?)]|$)/g;

export function scrollToEnd(w) {
  w.ui.log.scrollTop = w.ui.log.scrollHeight;
}

export function setTyping(w, active) {
  const typing = w.ui.typing;
  clearTimeout(w.state.typingTimer);
  typing.hidden = !active;
  if (active) {
    w.state.typingTimer = setTimeout(() => {
      typing.hidden = true;
    }, TYPING_TIMEOUT_MS);
    scrollToEnd(w);
  }
}

function userLabel(w, message) {
  if (message.text) return message.text;
  if (message.payload && w.state.payloadTitles[message.payload]) return w.state.payloadTitles[message.payload];
  return "Choix envoyé";
}

/** Only the buttons offered after the person's last message can still be pressed. */
function refreshChoices(w) {
  const items = w.ui.list.children;
  let afterUser = true;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    const buttons = item.querySelectorAll(".dw-choice");
    for (let j = 0; j < buttons.length; j++) buttons[j].disabled = !afterUser;
    if (item.getAttribute("data-role") === "user") afterUser = false;
  }
}

function renderItem(w, message, pending) {
  const role = ROLE_LABELS[message.role] ? message.role : "system";
  const item = el("li", "dw-msg");
  item.setAttribute("data-role", role);
  if (role === "agent") {
    item.appendChild(el("span", "dw-badge", "Conseiller"));
  }
  const bubble = el("p", "dw-bubble");
  if (role !== "agent") bubble.appendChild(srOnly(ROLE_LABELS[role] + " : "));
  else bubble.appendChild(srOnly(" : "));
  appendLinkified(bubble, role === "user" ? userLabel(w, message) : message.text || "");
  item.appendChild(bubble);
  if (pending) {
    item.classList.add("dw-pending");
    item.appendChild(el("span", "dw-note", "Envoi en cours…"));
  }
  const buttons = message.buttons || [];
  if (buttons.length && role !== "user") {
    const group = el("div", "dw-choices");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Réponses proposées");
    buttons.forEach((b) => {
      if (typeof b.title !== "string" || typeof b.payload !== "string") return;
      w.state.payloadTitles[b.payload] = b.title;
      const button = el("button", "dw-choice", b.title);
      button.type = "button";
      button.setAttribute("data-payload", b.payload);
      button.addEventListener("click", () => {
        if (button.disabled) return;
        w.choose(b.payload, b.title);
      });
      group.appendChild(button);
    });
    item.appendChild(group);
  }
  return item;
}

function confirmPending(item, message) {
  item.classList.remove("dw-pending");
  const note = item.querySelector(".dw-note");
  if (note) item.removeChild(note);
  item.setAttribute("data-id", String(message.id));
  item.removeAttribute("data-client-id");
}

function findPending(w, clientId) {
  const items = w.ui.list.querySelectorAll("li[data-client-id]");
  for (let i = 0; i < items.length; i++) {
    if (items[i].getAttribute("data-client-id") === clientId) return items[i];
  }
  return null;
}

/** A message from the server (each id once): it confirms a pending one, or joins the log. */
export function addMessage(w, message) {
  const { state, ui } = w;
  if (typeof message.id !== "number" || message.id <= state.lastId) return;
  state.lastId = message.id;
  if (message.role === "user" && message.client_id) {
    const before = state.outbox.length;
    state.outbox = state.outbox.filter((m) => m.client_id !== message.client_id);
    if (state.outbox.length !== before) w.save();
    const pendingItem = findPending(w, message.client_id);
    if (pendingItem) {
      confirmPending(pendingItem, message);
      ui.list.insertBefore(pendingItem, ui.list.querySelector("li.dw-pending")); // transcript order
      refreshChoices(w);
      return;
    }
  }
  if (message.role !== "user") setTyping(w, false);
  const hasContent = message.text || (message.buttons && message.buttons.length) || message.role === "user";
  if (!hasContent) return;
  const item = renderItem(w, message, false);
  item.setAttribute("data-id", String(message.id));
  // Pending bubbles stay last, after what the server already has.
  const firstPending = ui.list.querySelector("li.dw-pending");
  ui.list.insertBefore(item, firstPending);
  refreshChoices(w);
  scrollToEnd(w);
  if (message.role !== "user") {
    // The bot greets in its own words: the widget's waiting text gives way (one greeting).
    if (message.role === "bot" && message.text) ui.welcome.hidden = true;
    if (message.role === "bot" && message.text) offerPlan(w, message.text);
    noteArrival(w, message);
  }
}

/** The latest plan's page and calendar file join the options menu. */
function offerPlan(w, text) {
  const menu = w.ui.menu;
  const found = {};
  let match;
  PLAN_URL.lastIndex = 0;
  while ((match = PLAN_URL.exec(text)) !== null) found[match[1] ? "agenda" : "plan"] = match[0];
  if (!found.plan) return;
  menu.plan.href = found.plan;
  menu.plan.hidden = false;
  if (found.agenda) menu.agenda.href = found.agenda;
  menu.agenda.hidden = !found.agenda; // a plan without dates has no calendar file
}

/** A message of the person's outbox, shown until the server has it. */
export function addPending(w, entry) {
  const item = renderItem(w, { role: "user", text: entry.label }, true);
  item.setAttribute("data-client-id", entry.client_id);
  w.ui.list.appendChild(item);
  refreshChoices(w);
  scrollToEnd(w);
}
