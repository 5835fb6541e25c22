/* The charts of the filtered reports: the most reported documents, and the categories per week.
 *
 * Charts are plain elements sized from the script (no library), each with a visually hidden data
 * table as its text version.
 */

import { weekLabel } from "/common/static/dates.js";
import { byId, el, showError } from "/common/static/dom.js";
import { api, query } from "./api.js";
import { categoryLabels, plural } from "./format.js";
import { state } from "./state.js";

const TOP_DOCUMENTS = 10;

function setChartsState(value, filterQuery) {
  for (const id of ["chart-documents", "chart-weeks"]) {
    const figure = byId(id);
    figure.dataset.state = value;
    if (filterQuery !== undefined) figure.dataset.query = filterQuery;
  }
}

export async function loadCharts() {
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
