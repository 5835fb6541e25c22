/* The figures of /api/stats as tiles, tables and charts (Chart.js). Text only, never HTML. */

import { byId, el, fillList } from "/common/static/dom.js";

const REASONS = {
  explicit_request: "Demande d'un conseiller",
  misunderstood: "Incompréhension",
  frustration: "Agacement ou difficulté",
  sensitive: "Situation sensible",
  followup_help: "Aide après un rappel d'échéance",
};
const CATEGORIES = {
  jargon: "Vocabulaire, jargon",
  too_long: "Trop long",
  missing_info: "Informations manquantes ou contradictoires",
  unclear_documents: "Pièces demandées pas claires",
  hard_to_fill: "Difficile à lire ou à remplir en ligne",
  other: "Autre",
};
const charts = {};

export function percent(rate) {
  return rate === null || rate === undefined ? "—" : (rate * 100).toFixed(1).replace(".", ",") + " %";
}

function number(value, digits) {
  return value === null || value === undefined ? "—" : Number(value).toFixed(digits || 0).replace(".", ",");
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  const minutes = Math.floor(seconds / 60);
  return minutes ? minutes + " min " + Math.round(seconds % 60) + " s" : Math.round(seconds) + " s";
}

function tile(id, title, value, detail) {
  const item = el("li", "tile card", el("p", "tile-title", title), el("p", "tile-value", value));
  item.dataset.figure = id;
  if (detail) item.append(el("p", "tile-detail", detail));
  return item;
}

function tiles(stats) {
  const csat = stats.csat;
  byId("tiles").replaceChildren(
    tile("conversations", "Conversations", number(stats.conversations), stats.user_messages + " messages reçus"),
    tile("containment", "Réglées par l'assistant", percent(stats.containment_rate), stats.contained + " conversations"),
    tile("handoffs", "Transferts vers un conseiller", number(stats.handoffs.total),
      "prise en charge médiane " + duration(stats.median_pickup_s) + ", première réponse " + duration(stats.median_wait_s)),
    tile("csat", "Satisfaction", csat.mean === null ? "—" : number(csat.mean, 2) + " / 5",
      percent(csat.satisfied_rate) + " satisfaits, " + csat.responses + " réponses"),
    tile("misunderstood", "Messages non compris", percent(stats.misunderstood_rate),
      stats.misunderstood_messages + " messages"),
    tile("helpful", "Réponses utiles", percent(stats.answers_helpful.helpful_rate),
      stats.answers_helpful.responses + " avis sur les réponses"),
  );
}

function rows(tableId, items, cells, emptyText) {
  const body = byId(tableId).querySelector("tbody");
  const lines = items.map((item) => {
    const row = el("tr");
    cells(item).forEach((cell, index) => row.append(el(index ? "td" : "th", null, cell)));
    if (row.firstChild) row.firstChild.setAttribute("scope", "row");
    return row;
  });
  if (!lines.length) lines.push(el("tr", "muted", el("td", null, emptyText)));
  body.replaceChildren(...lines);
}

function draw(id, config) {
  if (charts[id]) charts[id].destroy();
  if (typeof window.Chart !== "function") return;
  charts[id] = new window.Chart(byId(id), config);
}

function lineConfig(labels, datasets, percentAxis) {
  return {
    type: "line",
    data: { labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: percentAxis ? { y: { min: 0, max: 100 } } : { y: { beginAtZero: true }, y1: { position: "right", min: 0, max: 100 } },
    },
  };
}

function drawCharts(stats) {
  const series = stats.series || [];
  const labels = series.map((p) => p.period);
  const rate = (value) => (value === null ? null : Math.round(value * 1000) / 10);
  draw("chart-volume", lineConfig(labels, [
    { label: "Conversations", data: series.map((p) => p.conversations), borderColor: "#000091", yAxisID: "y" },
    { label: "Réglées par l'assistant (%)", data: series.map((p) => rate(p.containment_rate)), borderColor: "#18753c", yAxisID: "y1" },
  ], false));
  draw("chart-quality", lineConfig(labels, [
    { label: "Personnes satisfaites (%)", data: series.map((p) => rate(p.csat.satisfied_rate)), borderColor: "#18753c" },
    { label: "Messages non compris (%)", data: series.map((p) => rate(p.misunderstood_rate)), borderColor: "#ce0500" },
  ], true));
  const reasons = Object.entries(stats.handoffs.by_reason);
  draw("chart-reasons", {
    type: "bar",
    data: {
      labels: reasons.map(([key]) => REASONS[key] || key),
      datasets: [{ label: "Transferts", data: reasons.map(([, count]) => count), backgroundColor: "#000091" }],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
  });
  fillList("reasons-list", reasons, ([key, count]) => el("li", null, (REASONS[key] || key) + " : " + count),
    "Aucun transfert dans la période.");
}

export function render(stats) {
  tiles(stats);
  rows("series-table", stats.series || [], (p) => [
    p.period, String(p.conversations), percent(p.containment_rate), percent(p.handoff_rate),
    percent(p.misunderstood_rate), number(p.csat.mean, 2),
  ], "Aucune conversation dans la période.");
  rows("situations-table", stats.by_situation, (s) => [
    s.situation, String(s.conversations), percent(s.handoff_rate), String(s.csat.responses), number(s.csat.mean, 2),
  ], "Aucune situation reconnue dans la période.");
  const complaints = Object.entries(stats.complaints.by_category).filter(([, count]) => count > 0);
  fillList("complaints-list", complaints, ([key, count]) => el("li", null, (CATEGORIES[key] || key) + " : " + count),
    "Aucun signalement dans la période.");
  drawCharts(stats);
}
