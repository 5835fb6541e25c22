/* The conversation a report came from: its exchange, read when the administrator opens it. */

import { clock, shortDate } from "/common/static/dates.js";
import { el } from "/common/static/dom.js";
import { api } from "./api.js";

const ROLES = { user: "La personne", bot: "Assistant", agent: "Conseiller", system: "Système" };

/** What the person saw of a message: a button's title rather than its payload. */
function shownText(message, earlier) {
  if (message.payload) {
    for (let i = earlier.length - 1; i >= 0; i -= 1) {
      const button = (earlier[i].buttons || []).find((b) => b.payload === message.payload);
      if (button) return "Bouton choisi : " + button.title;
    }
  }
  return message.text || (message.payload ? "Bouton choisi" : "");
}

async function load(conversationId, list) {
  list.replaceChildren(el("li", "muted", "Chargement de l'échange…"));
  try {
    const data = await api("GET", "/api/conversations/" + encodeURIComponent(conversationId) + "/messages");
    const messages = data.messages || [];
    const items = messages.map((m, i) =>
      el(
        "li",
        "from-" + (m.role || "system"),
        el("span", "role", (ROLES[m.role] || m.role) + " — " + shortDate(m.created_at) + ", " + clock(m.created_at)),
        el("span", "text", shownText(m, messages.slice(0, i)))
      )
    );
    list.replaceChildren(...(items.length ? items : [el("li", "muted", "Aucun message.")]));
  } catch (error) {
    list.replaceChildren(
      el("li", "error", error.status === 404 ? "Cette conversation a été effacée." : error.message)
    );
  }
}

/** The "Conversation" field: the id, and the exchange under a closed disclosure. */
export function conversationField(conversationId) {
  if (!conversationId) return el("span", "muted", "Aucune conversation liée");
  const list = el("ol", "transcript");
  const details = el(
    "details",
    "conversation",
    el("summary", "", "Lire l'échange (conversation " + conversationId + ")"),
    list
  );
  details.dataset.conversation = conversationId;
  details.addEventListener("toggle", () => {
    if (details.open && !list.dataset.loaded) {
      list.dataset.loaded = "true";
      load(conversationId, list);
    }
  });
  return details;
}
