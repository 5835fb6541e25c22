/* Administrators' dashboard of reports on complicated documents: login, filters, table, detail,
 * charts, exports.
 *
 * Everything that comes from a report or from the server is inserted as text (textContent or text
 * nodes), never as HTML. Unsafe requests carry the session's CSRF token. Charts are plain elements
 * sized from the script (no library), each with a visually hidden data table as its text version.
 */
"use strict";

(function () {
  const CHANNEL_LABELS = { web: "site web", telegram: "Telegram", sms: "SMS" };
  const KIND_LABELS = {
    form: "formulaire",
    letter: "courrier",
    email: "courriel",
    notice: "notice",
    website: "site internet",
    document: "document",
  };
  const FICHE_ID = /^[FNR][0-9]{1,6}$/;
  const TOP_DOCUMENTS = 10;
  const FILTER_NAMES = ["from", "to", "document", "organisation", "category"];

  const state = {
    agent: null,
    csrf: "",
    filters: {},
    page: 1,
    perPage: 20,
    total: 0,
    items: [],
    selected: null,
    listRequest: 0,
    chartsRequest: 0,
  };

  const App = window.AssistantApp;
  const { byId, el, label, parseDate, announce, showError } = App;

  /* ---------- small helpers ---------- */

  function categoryLabels() {
    const labels = {};
    for (const option of byId("filter-category").options) {
      if (option.value) labels[option.value] = option.textContent;
    }
    return labels;
  }

  function categoryLabel(key) {
    return categoryLabels()[key] || String(key || "");
  }

  function shortDate(value) {
    const date = parseDate(value);
    return date
      ? date.toLocaleDateString("fr-FR", { day: "2-digit", month: "2-digit", year: "numeric" })
      : String(value || "");
  }

  function longDate(value) {
    const date = parseDate(value);
    if (!date) return String(value || "");
    return (
      date.toLocaleDateString("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric" }) +
      " à " +
      date.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" })
    );
  }

  function plural(count, one, many) {
    return count + " " + (count > 1 ? many : one);
  }

  /** "2026-W05" -> "semaine 5 de 2026 (à partir du lundi 26 janvier)". */
  function weekLabel(key, long) {
    const match = /^(\d{4})-W(\d{2})$/.exec(key || "");
    if (!match) return String(key || "");
    const year = Number(match[1]);
    const week = Number(match[2]);
    const jan4 = new Date(Date.UTC(year, 0, 4));
    const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86400000);
    monday.setUTCDate(monday.getUTCDate() + (week - 1) * 7);
    const day = monday.toLocaleDateString("fr-FR", {
      day: "numeric",
      month: long ? "long" : "short",
      year: "numeric",
      timeZone: "UTC",
    });
    return long ? "semaine " + week + " de " + year + " (du lundi " + day + ")" : "Sem. du " + day;
  }

  async function request(method, path, body) {
    const response = await App.send(method, path, body, state.csrf);
    if (!response.ok) {
      const detail = await App.errorDetail(response);
      if (state.agent && path !== "/api/auth/session") {
        if (response.status === 401) sessionExpired();
        if (response.status === 403 && detail.message !== "Jeton CSRF absent ou invalide.") {
          showRefused(state.agent);
        }
      }
      throw App.refused(response, detail);
    }
    return response;
  }

  async function api(method, path, body) {
    const response = await request(method, path, body);
    if (response.status === 204) return null;
    try {
      return await response.json();
    } catch (error) {
      throw new App.ApiError(response.status, "error", "La réponse du serveur est illisible.");
    }
  }

  function query(filters, extra) {
    const params = new URLSearchParams();
    for (const name of FILTER_NAMES) {
      if (filters[name]) params.set(name, filters[name]);
    }
    for (const [name, value] of Object.entries(extra || {})) params.set(name, String(value));
    const text = params.toString();
    return text ? "?" + text : "";
  }

  /* ---------- views: login, refused, dashboard ---------- */

  function showOnly(id) {
    for (const view of ["login-view", "refused-view", "dashboard-view"]) byId(view).hidden = view !== id;
  }

  function showLogin(message) {
    state.agent = null;
    state.csrf = "";
    showOnly("login-view");
    byId("admin-bar").hidden = true;
    document.title = "Connexion — signalements de documents";
    showError("login-error", message || "");
    byId("login-username").focus();
  }

  function showRefused(agent) {
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

  function sessionExpired() {
    if (!state.agent) return;
    showLogin("Votre session a expiré. Reconnectez-vous.");
  }

  const { onLogin, onLogout, resume } = App.session({
    state,
    api,
    start,
    showLogin,
    signedOut: () => showLogin(""),
  });

  function start(agent) {
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

  /* ---------- filters ---------- */

  function readFilters() {
    const filters = {};
    for (const name of FILTER_NAMES) {
      const value = byId("filter-" + name).value.trim();
      if (value) filters[name] = value;
    }
    return filters;
  }

  function onFilter(event) {
    event.preventDefault();
    const filters = readFilters();
    const from = byId("filter-from");
    from.removeAttribute("aria-invalid");
    if (filters.from && filters.to && filters.from > filters.to) {
      from.setAttribute("aria-invalid", "true");
      showError("filters-error", "La date de début (« Du ») est postérieure à la date de fin (« Au »).");
      from.focus();
      return;
    }
    showError("filters-error", "");
    state.filters = filters;
    state.page = 1;
    refresh();
  }

  function onReset() {
    for (const name of FILTER_NAMES) byId("filter-" + name).value = "";
    byId("filter-from").removeAttribute("aria-invalid");
    showError("filters-error", "");
    state.filters = {};
    state.page = 1;
    refresh();
    byId("filter-from").focus();
  }

  function refresh() {
    closeDetail(false);
    loadList();
    loadCharts();
  }

  /* ---------- table and pagination ---------- */

  async function loadList() {
    const ticket = ++state.listRequest;
    const path = "/api/feedback" + query(state.filters, { page: state.page, per_page: state.perPage });
    const table = byId("results-table");
    table.setAttribute("aria-busy", "true");
    try {
      const data = await api("GET", path);
      if (ticket !== state.listRequest) return;
      state.total = data.total;
      state.items = data.items || [];
      const pages = Math.max(1, Math.ceil(state.total / state.perPage));
      if (state.page > pages && state.total > 0) {
        state.page = pages;
        loadList();
        return;
      }
      showError("results-error", "");
      renderList(query(state.filters));
    } catch (error) {
      if (ticket === state.listRequest && error.status !== 401 && error.status !== 403) {
        showError("results-error", error.message);
      }
    } finally {
      if (ticket === state.listRequest) table.removeAttribute("aria-busy");
    }
  }

  function renderList(filterQuery) {
    const labels = categoryLabels();
    const rows = state.items.map((item) => {
      const open = el("button", "link-button", item.reference);
      open.type = "button";
      open.dataset.reference = item.reference;
      open.setAttribute("aria-label", "Voir le détail du signalement " + item.reference);
      const document_ = item.document || {};
      const row = el(
        "tr",
        "",
        el("th", "", open),
        el("td", "nowrap", shortDate(item.created_at)),
        el("td", "", document_.label || "", document_.cerfa ? el("span", "sub", "cerfa " + document_.cerfa) : null),
        el("td", "", document_.organisation || "Non précisé"),
        el("td", "", (item.categories || []).map((c) => labels[c] || c).join(", ")),
        el("td", "nowrap", label(CHANNEL_LABELS, item.channel))
      );
      row.firstChild.setAttribute("scope", "row");
      row.dataset.reference = item.reference;
      if (item.reference === state.selected) {
        row.classList.add("selected");
        open.setAttribute("aria-current", "true");
      }
      // A click anywhere on the row opens the detail; the button is the keyboard's way in.
      row.addEventListener("click", () => openDetail(item.reference));
      return row;
    });
    if (!rows.length) {
      const cell = el("td", "empty", "Aucun signalement ne correspond à ces filtres.");
      cell.colSpan = 6;
      rows.push(el("tr", "", cell));
    }
    byId("results-body").replaceChildren(...rows);

    const pages = Math.max(1, Math.ceil(state.total / state.perPage));
    byId("page-info").textContent = "Page " + state.page + " sur " + pages;
    const prev = byId("page-prev");
    const next = byId("page-next");
    const focused = document.activeElement;
    prev.disabled = state.page <= 1;
    next.disabled = state.page >= pages;
    if ((focused === prev && prev.disabled) || (focused === next && next.disabled)) {
      byId("results-title").focus();
    }

    const filtered = Object.keys(state.filters).length > 0;
    const count = byId("results-count");
    let text;
    if (state.total === 0) {
      text = filtered ? "Aucun signalement ne correspond à ces filtres." : "Aucun signalement pour le moment.";
    } else {
      const first = (state.page - 1) * state.perPage + 1;
      const last = first + state.items.length - 1;
      text =
        plural(state.total, "signalement", "signalements") +
        (filtered ? " correspondant aux filtres" : " au total") +
        (pages > 1 ? " (affichés : " + first + " à " + last + ", page " + state.page + " sur " + pages + ")" : "") +
        ".";
    }
    count.textContent = text;
    count.dataset.total = String(state.total);
    count.dataset.query = filterQuery;
    byId("results-body").dataset.page = String(state.page);
  }

  function goToPage(page) {
    state.page = page;
    closeDetail(false);
    loadList();
  }

  /* ---------- detail ---------- */

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

  function openDetail(reference) {
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
      ["Conversation", item.conversation_id || el("span", "muted", "Aucune conversation liée")],
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

  function closeDetail(returnFocus) {
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

  /* ---------- charts ---------- */

  function setChartsState(value, filterQuery) {
    for (const id of ["chart-documents", "chart-weeks"]) {
      const figure = byId(id);
      figure.dataset.state = value;
      if (filterQuery !== undefined) figure.dataset.query = filterQuery;
    }
  }

  async function loadCharts() {
    const ticket = ++state.chartsRequest;
    const filters = { ...state.filters };
    setChartsState("loading");
    try {
      const stats = await api("GET", "/api/feedback/stats" + query(filters));
      if (ticket !== state.chartsRequest) return;
      // Categories over time: the weekly counts of the same filters, one category at a time.
      const keys = filters.category ? [filters.category] : stats.by_category.map((c) => c.key);
      const perCategory = await Promise.all(
        keys.map((key) => api("GET", "/api/feedback/stats" + query({ ...filters, category: key })))
      );
      if (ticket !== state.chartsRequest) return;
      const weekly = {};
      keys.forEach((key, index) => {
        weekly[key] = {};
        for (const week of perCategory[index].by_week) weekly[key][week.key] = week.count;
      });
      showError("charts-error", "");
      renderDocuments(stats.by_document);
      renderWeeks(stats.by_week, keys, weekly);
      setChartsState("ready", query(filters));
    } catch (error) {
      if (ticket !== state.chartsRequest) return;
      setChartsState("error");
      if (error.status !== 401 && error.status !== 403) showError("charts-error", error.message);
    }
  }

  function barRow(name, count, max, className) {
    const fill = el("span", "fill " + (className || ""));
    fill.style.width = (max ? (count / max) * 100 : 0).toFixed(2) + "%";
    const row = el(
      "div",
      "bar-row",
      el("span", "bar-label", name),
      el("span", "track", fill),
      el("span", "bar-count", String(count))
    );
    row.dataset.count = String(count);
    return row;
  }

  function documentName(entry) {
    const key = entry.key || "";
    return entry.label && entry.label !== key ? entry.label + " (" + key + ")" : entry.label || key;
  }

  function renderDocuments(byDocument) {
    const top = byDocument.slice(0, TOP_DOCUMENTS);
    const max = top.reduce((m, d) => Math.max(m, d.count), 0);
    const rows = top.map((entry) => {
      const row = barRow(documentName(entry), entry.count, max, "fill-document");
      row.dataset.key = entry.key;
      return row;
    });
    byId("chart-documents-bars").replaceChildren(...rows);
    byId("chart-documents-table").tBodies[0].replaceChildren(
      ...top.map((entry) => el("tr", "", el("th", "", documentName(entry)), el("td", "", String(entry.count))))
    );
    for (const th of byId("chart-documents-table").tBodies[0].querySelectorAll("th")) th.scope = "row";
    const summary = byId("chart-documents-summary");
    if (!top.length) {
      summary.textContent = "Aucun signalement à représenter.";
    } else {
      summary.textContent =
        "Document le plus signalé : " +
        documentName(top[0]) +
        ", " +
        plural(top[0].count, "signalement", "signalements") +
        (byDocument.length > TOP_DOCUMENTS ? ". Les " + TOP_DOCUMENTS + " premiers documents sont affichés." : ".");
    }
  }

  function renderWeeks(byWeek, keys, weekly) {
    const labels = categoryLabels();
    const totals = byWeek.map((week) => keys.reduce((sum, key) => sum + (weekly[key][week.key] || 0), 0));
    const max = totals.reduce((m, t) => Math.max(m, t), 0);
    byId("chart-weeks-legend").replaceChildren(
      ...keys.map((key) =>
        el("li", "", el("span", "swatch cat-" + key), labels[key] || key)
      )
    );
    const rows = byWeek.map((week, index) => {
      const track = el("span", "track stacked");
      for (const key of keys) {
        const count = weekly[key][week.key] || 0;
        if (!count) continue;
        const segment = el("span", "fill cat-" + key);
        segment.style.width = ((count / max) * 100).toFixed(2) + "%";
        segment.dataset.category = key;
        segment.dataset.count = String(count);
        track.append(segment);
      }
      const row = el(
        "div",
        "bar-row",
        el("span", "bar-label", weekLabel(week.key, false)),
        track,
        el("span", "bar-count", String(totals[index]))
      );
      row.dataset.week = week.key;
      row.dataset.reports = String(week.count);
      return row;
    });
    byId("chart-weeks-bars").replaceChildren(...rows);

    const head = byId("chart-weeks-head");
    const headCells = [el("th", "", "Semaine"), ...keys.map((key) => el("th", "", labels[key] || key))];
    headCells.push(el("th", "", "Signalements"));
    for (const cell of headCells) cell.scope = "col";
    head.replaceChildren(...headCells);
    byId("chart-weeks-table").tBodies[0].replaceChildren(
      ...byWeek.map((week) => {
        const th = el("th", "", weekLabel(week.key, true));
        th.scope = "row";
        return el(
          "tr",
          "",
          th,
          ...keys.map((key) => el("td", "", String(weekly[key][week.key] || 0))),
          el("td", "", String(week.count))
        );
      })
    );
    const summary = byId("chart-weeks-summary");
    if (!byWeek.length) {
      summary.textContent = "Aucun signalement à représenter.";
    } else {
      const busiest = byWeek.reduce((best, week) => (week.count > best.count ? week : best), byWeek[0]);
      summary.textContent =
        plural(byWeek.length, "semaine", "semaines") +
        " avec des signalements ; la plus chargée est la " +
        weekLabel(busiest.key, true) +
        " avec " +
        plural(busiest.count, "signalement", "signalements") +
        ". Un signalement peut relever de plusieurs catégories.";
    }
  }

  /* ---------- exports ---------- */

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

  async function exportFile(kind, button) {
    button.disabled = true;
    showError("results-error", "");
    try {
      if (kind === "csv") {
        const response = await request("GET", "/api/feedback.csv" + query(state.filters));
        saveFile(await response.blob(), "signalements.csv");
        announce("Export CSV prêt : fichier signalements.csv.");
      } else {
        const data = await api("GET", "/api/feedback/export" + query(state.filters));
        const text = JSON.stringify(data, null, 2);
        saveFile(new Blob([text], { type: "application/json" }), "signalements-services-publics.json");
        announce(
          "Export JSON prêt : " +
            plural((data.signalements || []).length, "signalement", "signalements") +
            " dans signalements-services-publics.json."
        );
      }
    } catch (error) {
      if (error.status !== 401 && error.status !== 403) showError("results-error", error.message);
    } finally {
      button.disabled = false;
      button.focus();
    }
  }

  /* ---------- start ---------- */

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

  App.whenReady(init);
})();
