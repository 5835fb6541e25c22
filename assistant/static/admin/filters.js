/* The filters form: read and check the filters, apply them, clear them. */

import { parseFrenchDay } from "/common/static/dates.js";
import { byId, showError } from "/common/static/dom.js";
import { FILTER_NAMES } from "./api.js";
import { loadCharts } from "./charts.js";
import { closeDetail } from "./detail.js";
import { state } from "./state.js";
import { loadList } from "./table.js";

const DATE_NAMES = { from: "« Du »", to: "« Au »" };

/** The filters typed, the days as "aaaa-mm-jj"; the name of a day that is not a date, if any. */
function readFilters() {
  const filters = {};
  let invalid = null;
  for (const name of FILTER_NAMES) {
    const field = byId("filter-" + name);
    let value = field.value.trim();
    if (name in DATE_NAMES) {
      field.removeAttribute("aria-invalid");
      const day = parseFrenchDay(value);
      if (day === null) {
        field.setAttribute("aria-invalid", "true");
        invalid = invalid || name;
      }
      value = day || "";
    }
    if (value) filters[name] = value;
  }
  return { filters, invalid };
}

export function onFilter(event) {
  event.preventDefault();
  const { filters, invalid } = readFilters();
  if (invalid) {
    showError("filters-error", "La date " + DATE_NAMES[invalid] + " n'est pas une date au format jj/mm/aaaa.");
    byId("filter-" + invalid).focus();
    return;
  }
  const from = byId("filter-from");
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
  byId("filter-to").removeAttribute("aria-invalid");
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
