/* The dashboard's three views (login, access refused, dashboard) and who is signed in. */

import { byId, showError } from "/common/static/dom.js";
import { refresh } from "./filters.js";
import { state } from "./state.js";

function showOnly(id) {
  for (const view of ["login-view", "refused-view", "dashboard-view"]) byId(view).hidden = view !== id;
}

export function showLogin(message) {
  state.agent = null;
  state.csrf = "";
  showOnly("login-view");
  byId("admin-bar").hidden = true;
  document.title = "Connexion — signalements de documents";
  showError("login-error", message || "");
  byId("login-username").focus();
}

export function showRefused(agent) {
  state.agent = agent;
  showOnly("refused-view");
  byId("admin-name").textContent = agent.display_name || agent.username;
  byId("admin-bar").hidden = false;
  document.title = "Accès réservé — signalements de documents";
  byId("refused-message").textContent =
    "Cette page est réservée aux administrateurs. Votre compte « " +
    agent.username +
    " » est un compte de conseiller : vous ne pouvez pas consulter les signalements.";
  byId("refused-title").focus();
}

export function sessionExpired() {
  if (!state.agent) return;
  showLogin("Votre session a expiré. Reconnectez-vous.");
}

/** Signed in: the dashboard for an admin, the "access refused" view for anyone else. */
export function start(agent) {
  showError("login-error", "");
  if (!agent || agent.role !== "admin") {
    showRefused(agent || { username: "?", role: "agent" });
    return;
  }
  state.agent = agent;
  byId("admin-name").textContent = agent.display_name || agent.username;
  byId("admin-bar").hidden = false;
  showOnly("dashboard-view");
  document.title = "Signalements de documents — Assistant démarches";
  byId("dashboard-title").focus();
  refresh();
}
