/* The detail of one report, opened from the table. */

import { longDate } from "/common/static/dates.js";
import { announce, byId, el } from "/common/static/dom.js";
import { CHANNEL_LABELS, KIND_LABELS, categoryLabel, label } from "./format.js";
import { state } from "./state.js";
import { conversationField } from "./transcript.js";

const FICHE_ID = /^[FNR][0-9]{1,6}$/;

function ficheLink(ficheId) {
  if (!FICHE_ID.test(ficheId || "")) return null;
  const link = el("a", "", "Fiche " + ficheId + " sur service-public.fr");
  link.href = "https://www.service-public.fr/particuliers/vosdroits/" + ficheId;
  link.rel = "noopener noreferrer";
  link.target = "_blank";
  link.append(el("span", "visually-hidden", " (nouvelle fenêtre)"));
  return link;
}

function list(values, empty) {
  if (!values.length) return el("span", "muted", empty);
  return el("ul", "plain", ...values.map((v) => el("li", "", v)));
}

export function openDetail(reference) {
  const item = state.items.find((i) => i.reference === reference);
  if (!item) return;
  state.selected = reference;
  for (const row of byId("results-body").rows) {
    const current = row.dataset.reference === reference;
    row.classList.toggle("selected", current);
    const button = row.querySelector("button");
    if (button) {
      if (current) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    }
  }
  const document_ = item.document || {};
  const entries = [
    ["Référence", item.reference],
    ["Date", longDate(item.created_at)],
    ["Canal", label(CHANNEL_LABELS, item.channel)],
    ["Conversation", conversationField(item.conversation_id)],
    ["Document", document_.label || ""],
    ["Type de document", label(KIND_LABELS, document_.kind)],
    ["Fiche service-public.fr", ficheLink(document_.fiche_id) || el("span", "muted", "Non précisée")],
    ["Numéro cerfa", document_.cerfa || el("span", "muted", "Non précisé")],
    ["Organisme", document_.organisation || el("span", "muted", "Non précisé")],
    ["Catégories", list((item.categories || []).map(categoryLabel), "Aucune")],
    ["Description", el("span", "pre-wrap", item.description || "")],
    ["Suggestion", item.suggestion ? el("span", "pre-wrap", item.suggestion) : el("span", "muted", "Aucune")],
  ];
  if (item.contact) entries.push(["Contact (accord de la personne)", item.contact]);
  entries.push(["Situations", list(item.situations || [], "Aucune situation identifiée")]);
  const nodes = [];
  for (const [term, value] of entries) {
    const dd = el("dd", "", value);
    dd.dataset.field = term;
    nodes.push(el("dt", "", term), dd);
  }
  byId("detail-list").replaceChildren(...nodes);
  byId("detail-title").textContent = "Détail du signalement " + item.reference;
  const detail = byId("detail");
  detail.hidden = false;
  detail.dataset.reference = item.reference;
  byId("detail-title").focus();
  announce("Détail du signalement " + item.reference + " affiché.");
}

export function closeDetail(returnFocus) {
  const reference = state.selected;
  state.selected = null;
  byId("detail").hidden = true;
  for (const row of byId("results-body").querySelectorAll("tr.selected")) row.classList.remove("selected");
  for (const button of byId("results-body").querySelectorAll("button[aria-current]")) {
    button.removeAttribute("aria-current");
  }
  if (returnFocus) {
    const button = reference
      ? byId("results-body").querySelector('button[data-reference="' + CSS.escape(reference) + '"]')
      : null;
    (button || byId("results-title")).focus();
  }
}
