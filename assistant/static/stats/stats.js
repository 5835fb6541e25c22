/* The supervisor's indicators page: login (admins only), filters, figures, charts, CSV exports.
 *
 * Everything shown comes from /api/stats* and is inserted as text, never as HTML. The charts are
 * drawn by Chart.js (chartjs.js, MIT, loaded as a classic script before this module runs).
 */

import { ApiError, requester } from "/common/static/api.js";
import { announce, byId, el, showError, whenReady } from "/common/static/dom.js";
import { session } from "/common/static/session.js";
import { render } from "./figures.js";

const state = { agent: null, csrf: "", filters: {}, ticket: 0 };

const request = requester(state, (response) => {
  if (response.status === 401) showLogin("Votre session a expiré. Reconnectez-vous.");
  if (response.status === 403) showRefused(state.agent);
});

async function api(path) {
  const response = await request("GET", path);
  try {
    return await response.json();
  } catch (error) {
    throw new ApiError(response.status, "error", "La réponse du serveur est illisible.");
  }
}

function showOnly(id) {
  for (const view of ["login-view", "refused-view", "dashboard-view"]) byId(view).hidden = view !== id;
}

function showLogin(message) {
  state.agent = null;
  showOnly("login-view");
  byId("admin-bar").hidden = true;
  showError("login-error", message || "");
  byId("login-username").focus();
}

function showRefused(agent) {
  state.agent = agent;
  showOnly("refused-view");
  byId("refused-message").textContent =
    "Cette page est réservée aux administrateurs. Votre compte « " + (agent ? agent.username : "?") + " » ne peut pas la consulter.";
  byId("refused-title").focus();
}

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function readFilters() {
  const filters = {};
  for (const name of ["from", "to", "channel", "situation", "interval"]) {
    const value = byId("filter-" + name).value.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

function query(filters, extra) {
  const params = new URLSearchParams({ ...filters, ...(extra || {}) });
  return "?" + params.toString();
}

async function refresh() {
  const ticket = ++state.ticket;
  const filters = readFilters();
  showError("filters-error", "");
  byId("dashboard-view").dataset.state = "loading";
  try {
    const stats = await api("/api/stats" + query(filters));
    if (ticket !== state.ticket) return;
    state.filters = filters;
    render(stats);
    byId("dashboard-view").dataset.state = "ready";
    byId("dashboard-view").dataset.query = query(filters);
    announce("Indicateurs mis à jour : " + stats.conversations + " conversations.");
  } catch (error) {
    if (ticket !== state.ticket) return;
    byId("dashboard-view").dataset.state = "error";
    if (error.status !== 401 && error.status !== 403) showError("filters-error", error.message);
  }
}

function saveFile(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = el("a", "visually-hidden", filename);
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function exportCsv(path, filename, button) {
  button.disabled = true;
  showError("filters-error", "");
  try {
    const filters = readFilters();
    const extra = path.endsWith("opendata.csv") ? {} : { interval: filters.interval || "week" };
    delete filters.interval;
    const response = await request("GET", path + query(filters, extra));
    saveFile(await response.blob(), filename);
    announce("Export prêt : fichier " + filename + ".");
  } catch (error) {
    if (error.status !== 401 && error.status !== 403) showError("filters-error", error.message);
  } finally {
    button.disabled = false;
    button.focus();
  }
}

function start(agent) {
  showError("login-error", "");
  if (!agent || agent.role !== "admin") {
    showRefused(agent || { username: "?" });
    return;
  }
  state.agent = agent;
  byId("admin-name").textContent = agent.display_name || agent.username;
  byId("admin-bar").hidden = false;
  showOnly("dashboard-view");
  if (!byId("filter-to").value) {
    const today = new Date();
    byId("filter-to").value = isoDay(today);
    byId("filter-from").value = isoDay(new Date(today.getTime() - 89 * 86400000));
  }
  byId("dashboard-title").focus();
  refresh();
}

const { onLogin, onLogout, resume } = session({
  state,
  api: async (method, path, body) => {
    const response = await request(method, path, body);
    return response.status === 204 ? null : response.json();
  },
  start,
  showLogin,
  signedOut: () => showLogin(""),
});

whenReady(async () => {
  byId("login-form").addEventListener("submit", onLogin);
  byId("logout").addEventListener("click", onLogout);
  byId("refused-logout").addEventListener("click", onLogout);
  byId("filters-form").addEventListener("submit", (event) => {
    event.preventDefault();
    refresh();
  });
  byId("export-series").addEventListener("click", (event) =>
    exportCsv("/api/stats/series.csv", "indicateurs.csv", event.currentTarget)
  );
  byId("export-opendata").addEventListener("click", (event) =>
    exportCsv("/api/stats/opendata.csv", "assistant-demarches-opendata.csv", event.currentTarget)
  );
  await resume();
});
