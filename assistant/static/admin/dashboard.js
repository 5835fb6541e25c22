/* Administrators' dashboard of reports on complicated documents: login, filters, table, detail,
 * charts, exports.
 *
 * The entry module of the page (a module script: it runs once the page is parsed). Each job has its
 * own module in this directory; what the dashboard shares with the agent console (DOM helpers,
 * requests, session, dates) is in /common/static/. The modules import functions from each other
 * (some in a cycle, which ES modules allow): nothing runs before `init`.
 *
 * Everything that comes from a report or from the server is inserted as text (textContent or text
 * nodes), never as HTML. Unsafe requests carry the session's CSRF token.
 */

import { byId, whenReady } from "/common/static/dom.js";
import { session } from "/common/static/session.js";
import { api } from "./api.js";
import { closeDetail } from "./detail.js";
import { exportFile } from "./exports.js";
import { onFilter, onReset } from "./filters.js";
import { state } from "./state.js";
import { goToPage } from "./table.js";
import { showLogin, start } from "./views.js";

const { onLogin, onLogout, resume } = session({
  state,
  api,
  start,
  showLogin,
  signedOut: () => showLogin(""),
});

async function init() {
  byId("login-form").addEventListener("submit", onLogin);
  byId("logout").addEventListener("click", onLogout);
  byId("refused-logout").addEventListener("click", onLogout);
  byId("filters-form").addEventListener("submit", onFilter);
  byId("filters-reset").addEventListener("click", onReset);
  byId("page-prev").addEventListener("click", () => goToPage(Math.max(1, state.page - 1)));
  byId("page-next").addEventListener("click", () => goToPage(state.page + 1));
  byId("per-page").addEventListener("change", (event) => {
    state.perPage = Number(event.target.value) || 20;
    goToPage(1);
  });
  byId("detail-back").addEventListener("click", () => closeDetail(true));
  byId("export-csv").addEventListener("click", (event) => exportFile("csv", event.currentTarget));
  byId("export-json").addEventListener("click", (event) => exportFile("json", event.currentTarget));
  state.perPage = Number(byId("per-page").value) || 20;
  await resume();
}

whenReady(init);
