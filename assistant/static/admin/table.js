/* The table of reports, one page at a time, with its count and its pagination. */

import { shortDate } from "/common/static/dates.js";
import { byId, el, showError } from "/common/static/dom.js";
import { api, query } from "./api.js";
import { closeDetail, openDetail } from "./detail.js";
import { CHANNEL_LABELS, categoryLabels, label, plural } from "./format.js";
import { state } from "./state.js";

export async function loadList() {
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

export function goToPage(page) {
  state.page = page;
  closeDetail(false);
  loadList();
}
