/* The console's review screen: the queue of messages the assistant misunderstood, labelled by an
 * agent (situation, fiche or intent) or discarded; administrators export the labelled ones as
 * Rasa NLU training data. Everything from the server is inserted as text, never as HTML.
 */

import { ApiError, requester } from "/common/static/api.js";
import { announce, byId, el, showError, whenReady } from "/common/static/dom.js";
import { CHANNEL_LABELS, label } from "/common/static/labels.js";
import { session } from "/common/static/session.js";

const SOURCES = {
  misunderstood: "Message non compris",
  low_confidence: "Compris avec hésitation",
  csat_negative: "Avis négatif",
  handoff_misunderstood: "Transfert faute de compréhension",
};
const STATUSES = { open: "à relire", labelled: "étiqueté", discarded: "écarté" };
const KINDS = [["situation", "Situation"], ["fiche", "Fiche"], ["intent", "Intent"]];
const state = { agent: null, csrf: "" };

const request = requester(state, (response) => {
  if (response.status === 401) showLogin("Votre session a expiré. Reconnectez-vous.");
});

async function api(method, path, body) {
  const response = await request(method, path, body);
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch (error) {
    throw new ApiError(response.status, "error", "La réponse du serveur est illisible.");
  }
}

function showLogin(message) {
  state.agent = null;
  byId("login-view").hidden = false;
  byId("review-view").hidden = true;
  byId("agent-bar").hidden = true;
  showError("login-error", message || "");
  byId("login-username").focus();
}

function reviewForm(item) {
  const kind = el("select", null, ...KINDS.map(([value, text]) => {
    const option = el("option", null, text);
    option.value = value;
    return option;
  }));
  const value = el("input");
  const kindId = "kind-" + item.id;
  const valueId = "label-" + item.id;
  kind.id = kindId;
  value.id = valueId;
  value.maxLength = 64;
  value.spellcheck = false;
  value.placeholder = "F14128";
  const kindLabel = el("label", null, "Type");
  kindLabel.htmlFor = kindId;
  const valueLabel = el("label", null, "Étiquette");
  valueLabel.htmlFor = valueId;
  const save = el("button", null, "Étiqueter");
  save.type = "submit";
  const discard = el("button", "secondary", "Écarter");
  discard.type = "button";
  const form = el("form", "review-form", el("p", null, kindLabel, kind), el("p", null, valueLabel, value),
    el("p", null, save), el("p", null, discard));
  form.setAttribute("aria-label", "Étiqueter le message " + item.id);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(item, "label", { kind: kind.value, label: value.value.trim() }, value);
  });
  discard.addEventListener("click", () => act(item, "discard", undefined, discard));
  return form;
}

function card(item) {
  const meta = SOURCES[item.source] + " · " + label(CHANNEL_LABELS, item.channel) + " · " +
    new Date(item.created_at).toLocaleString("fr-FR") + " · " + STATUSES[item.status] +
    (item.label ? " : " + item.label_kind + " " + item.label : "");
  const node = el("li", "card review-item", el("p", "review-text", item.text), el("p", "review-meta", meta));
  node.dataset.id = String(item.id);
  if (item.status === "open") node.append(reviewForm(item));
  return node;
}

async function load() {
  showError("review-error", "");
  const params = new URLSearchParams({ status: byId("filter-status").value, per_page: "100" });
  if (byId("filter-source").value) params.set("source", byId("filter-source").value);
  try {
    const data = await api("GET", "/api/review?" + params.toString());
    byId("review-count").textContent = data.total + (data.total > 1 ? " messages" : " message");
    byId("review-list").replaceChildren(...data.items.map(card));
    byId("review-view").dataset.ready = "true";
  } catch (error) {
    if (error.status !== 401) showError("review-error", error.message);
  }
}

async function act(item, action, body, control) {
  showError("review-error", "");
  try {
    await api("POST", "/api/review/" + item.id + "/" + action, body);
    announce(action === "label" ? "Message étiqueté." : "Message écarté.");
    await load();
    byId("review-title").focus();
  } catch (error) {
    if (error.status !== 401) showError("review-error", error.message);
    control.focus();
  }
}

async function exportYaml(button) {
  button.disabled = true;
  try {
    const response = await request("GET", "/api/review/export.yml");
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", "visually-hidden", "nlu-relecture.yml");
    link.href = url;
    link.download = "nlu-relecture.yml";
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10000);
    announce("Export prêt : fichier nlu-relecture.yml.");
  } catch (error) {
    showError("review-error", error.message);
  } finally {
    button.disabled = false;
  }
}

async function start(agent) {
  state.agent = agent;
  byId("login-view").hidden = true;
  byId("review-view").hidden = false;
  byId("agent-name").textContent = agent.display_name || agent.username;
  byId("agent-bar").hidden = false;
  byId("export-box").hidden = agent.role !== "admin";
  byId("review-title").focus();
  await load();
}

const { onLogin, onLogout, resume } = session({ state, api, start, showLogin, signedOut: () => showLogin("") });

whenReady(async () => {
  byId("login-form").addEventListener("submit", onLogin);
  byId("logout").addEventListener("click", onLogout);
  byId("review-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  byId("export-yml").addEventListener("click", (event) => exportYaml(event.currentTarget));
  await resume();
});
