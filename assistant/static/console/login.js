/* Signing in and out of the console: the login view, starting and stopping everything live. */

import { byId, showError } from "/common/static/dom.js";
import { loadAgents, loadReplies } from "./agents.js";
import { closeConversationStream } from "./detail.js";
import { closeQueueStream, openQueueStream, refreshDurations, renderQueue } from "./queue.js";
import { state } from "./state.js";

const TICK_MS = 30000;

export function showLogin(message) {
  byId("console-view").hidden = true;
  byId("agent-bar").hidden = true;
  byId("login-view").hidden = false;
  document.title = "Connexion — console des conseillers";
  showError("login-error", message || "");
  byId("login-username").focus();
}

export function stopLive() {
  closeQueueStream();
  closeConversationStream();
  if (state.tick) window.clearInterval(state.tick);
  state.tick = null;
}

export function resetState() {
  stopLive();
  state.agent = null;
  state.csrf = "";
  state.waiting.clear();
  state.mine.clear();
  state.selected = null;
  state.detail = null;
  state.messages.clear();
  byId("detail-body").hidden = true;
  byId("detail-placeholder").hidden = false;
  byId("detail-title").textContent = "Conversation";
}

export function signedOut() {
  resetState();
  showLogin("");
}

export function sessionExpired() {
  if (!state.agent) return;
  resetState();
  showLogin("Votre session a expiré. Reconnectez-vous.");
}

export async function startConsole(agent) {
  state.agent = agent;
  byId("agent-name").textContent = agent.display_name || agent.username;
  byId("login-view").hidden = true;
  byId("agent-bar").hidden = false;
  byId("console-view").hidden = false;
  document.title = "Console des conseillers — Assistant démarches";
  showError("login-error", "");
  renderQueue();
  openQueueStream();
  state.tick = window.setInterval(refreshDurations, TICK_MS);
  byId("queue-title").focus();
  await Promise.all([loadAgents(), loadReplies()]);
}
