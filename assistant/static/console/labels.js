/* The console's French labels for what the API sends as codes. */

export { CHANNEL_LABELS, label } from "/common/static/labels.js";

export const PRIORITY_LABELS = { 1: "normale", 2: "haute", 3: "urgente" };
export const REASON_LABELS = {
  explicit_request: "a demandé un conseiller",
  misunderstood: "le bot ne comprenait pas",
  frustration: "personne en difficulté",
  sensitive: "situation sensible",
  followup_help: "aide après un rappel",
};
export const STATUS_LABELS = { waiting: "en attente", active: "en cours", closed: "terminée" };
export const OUTCOME_LABELS = {
  resolved: "résolu",
  redirected: "orienté vers un autre service",
  person_left: "la personne est partie",
  abusive: "propos abusifs",
  other: "autre",
};
export const ROLE_LABELS = { user: "La personne", bot: "Assistant", agent: "Conseiller", system: "Système" };

export function situationsText(handoff) {
  const titles = (handoff.situations || []).map((s) => s.title || s.id).filter(Boolean);
  return titles.length ? titles.join(", ") : "Situation non identifiée";
}
