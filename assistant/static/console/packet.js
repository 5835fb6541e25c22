/* The packet the assistant hands over with a handoff: summary, situations, answers, plan, questions. */

import { frenchDate } from "/common/static/dates.js";
import { byId, el, fillList } from "/common/static/dom.js";

/** An http(s) URL, or null (no other scheme becomes a link). */
function safeUrl(value) {
  try {
    const url = new URL(String(value || ""), window.location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch (error) {
    return null;
  }
}

function planItem(item) {
  const url = safeUrl(item.url);
  const title = item.title || item.fiche_id || "Démarche";
  let head;
  if (url) {
    head = el("a", "", title, el("span", "visually-hidden", " (fiche officielle, nouvelle fenêtre)"));
    head.href = url;
    head.target = "_blank";
    head.rel = "noopener noreferrer";
  } else {
    head = el("span", "", title);
  }
  return el(
    "li",
    "",
    head,
    item.fiche_id ? " (" + item.fiche_id + ")" : "",
    item.deadline ? el("span", "", " — ", el("span", "deadline", item.deadline)) : ""
  );
}

export function renderPacket(packet) {
  byId("packet-summary").textContent = packet.summary || "Aucun résumé.";
  fillList(
    "packet-situations",
    packet.situations || [],
    (s) => el("li", "", (s.title || s.id) + (s.id ? " (" + s.id + ")" : "")),
    "Aucune situation identifiée."
  );
  const answers = byId("packet-answers");
  const pairs = [];
  for (const a of packet.answers || []) {
    pairs.push(el("dt", "", a.question || "Question"), el("dd", "", a.answer || "—"));
  }
  answers.replaceChildren(...pairs);
  answers.hidden = pairs.length === 0;
  byId("packet-answers-empty").hidden = pairs.length > 0;
  byId("packet-event-date").textContent = packet.event_date ? frenchDate(packet.event_date) : "Non précisée.";
  byId("packet-contact").textContent = packet.contact_consent && packet.contact ? packet.contact : "Aucune.";
  const plan = packet.plan || [];
  fillList("packet-plan", plan, planItem, "Aucun plan montré.");
  byId("packet-plan-count").textContent = plan.length + (plan.length > 1 ? " démarches" : " démarche");
  byId("packet-plan-details").open = false; // closed for each conversation: the transcript stays in view
  fillList(
    "packet-questions",
    packet.open_questions || [],
    (q) => el("li", "", q.text || q.id),
    "Aucune."
  );
}
