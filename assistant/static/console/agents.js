/* The other agents (to transfer a conversation to) and the canned replies, loaded once signed in. */

import { byId, el } from "/common/static/dom.js";
import { api } from "./api.js";
import { state } from "./state.js";

export async function loadAgents() {
  try {
    state.agents = (await api("GET", "/api/agents")).agents || [];
  } catch (error) {
    state.agents = [];
  }
  renderAgents();
}

export function renderAgents() {
  const select = byId("transfer-agent");
  const others = state.agents.filter((a) => state.agent && a.id !== state.agent.id);
  const options = others.map((a) => {
    const option = el("option", "", a.display_name || a.username);
    option.value = String(a.id);
    return option;
  });
  const first = el("option", "", others.length ? "Choisir un conseiller" : "Aucun autre conseiller");
  first.value = "";
  select.replaceChildren(first, ...options);
}

export async function loadReplies() {
  try {
    state.replies = (await api("GET", "/api/canned-replies")).replies || [];
  } catch (error) {
    state.replies = [];
  }
  const select = byId("canned");
  const first = el("option", "", "Choisir une réponse type");
  first.value = "";
  const options = state.replies.map((r, index) => {
    const option = el("option", "", r.title);
    option.value = String(index);
    return option;
  });
  select.replaceChildren(first, ...options);
}
