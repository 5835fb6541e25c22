/* The filters form: read and check the filters, apply them, clear them. */

import { byId, showError } from "/common/static/dom.js";
import { FILTER_NAMES } from "./api.js";
import { loadCharts } from "./charts.js";
import { closeDetail } from "./detail.js";
import { state } from "./state.js";
import { loadList } from "./table.js";

function readFilters() {
  const filters = {};
  for (const name of FILTER_NAMES) {
    const value = byId("filter-" + name).value.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

export function onFilter(event) {
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

export function onReset() {
  for (const name of FILTER_NAMES) byId("filter-" + name).value = "";
  byId("filter-from").removeAttribute("aria-invalid");
  showError("filters-error", "");
  state.filters = {};
  state.page = 1;
  refresh();
  byId("filter-from").focus();
}

/** The table and the charts again, for the filters applied. */
export function refresh() {
  closeDetail(false);
  loadList();
  loadCharts();
}
