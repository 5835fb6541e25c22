/* Agent console: login, live queue, handoff packet and transcript, replies, notes, transfer, closing.
 *
 * Everything that comes from a person or from the server is inserted as text (textContent or text
 * nodes), never as HTML. Unsafe requests carry the session's CSRF token.
 */
"use strict";

(function () {
  const RECONNECT_MIN_MS = 2000;
  const RECONNECT_MAX_MS = 30000;
  const TICK_MS = 30000;

  const PRIORITY_LABELS = { 1: "normale", 2: "haute", 3: "urgente" };
  const REASON_LABELS = {
    explicit_request: "a demandé un conseiller",
    misunderstood: "le bot ne comprenait pas",
    frustration: "personne en difficulté",
    sensitive: "situation sensible",
  };
  const CHANNEL_LABELS = { web: "site web", telegram: "Telegram", sms: "SMS" };
  const STATUS_LABELS = { waiting: "en attente", active: "en cours", closed: "terminée" };
  const OUTCOME_LABELS = {
    resolved: "résolu",
    redirected: "orienté vers un autre service",
    person_left: "la personne est partie",
    abusive: "propos abusifs",
    other: "autre",
  };
  const ROLE_LABELS = { user: "La personne", bot: "Assistant", agent: "Conseiller", system: "Système" };

  const state = {
    agent: null,
    csrf: "",
    waiting: new Map(),
    mine: new Map(),
    queueSource: null,
    queueRetry: RECONNECT_MIN_MS,
    queueTimer: null,
    queueLoading: null, // events received while the queue is being loaded, replayed afterwards
    selected: null,
    detail: null,
    messages: new Map(),
    convSource: null,
    convRetry: RECONNECT_MIN_MS,
    convTimer: null,
    convReconnecting: false,
    agents: [],
    replies: [],
    tick: null,
  };

  const App = window.AssistantApp;
  const { byId, el, label, parseDate, announce, showError } = App;

  /* ---------- small helpers ---------- */

  function clock(value) {
    const date = parseDate(value);
    return date ? date.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" }) : "";
  }

  function frenchDate(value) {
    const date = /^\d{4}-\d{2}-\d{2}$/.test(value || "") ? new Date(value + "T12:00:00") : parseDate(value);
    return date
      ? date.toLocaleDateString("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric" })
      : String(value || "");
  }

  function duration(since) {
    const start = parseDate(since);
    if (!start) return "";
    const minutes = Math.max(0, Math.floor((Date.now() - start.getTime()) / 60000));
    if (minutes < 1) return "moins d'une minute";
    if (minutes < 60) return minutes + " min";
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return hours + " h " + String(rest).padStart(2, "0");
  }

  function situationsText(handoff) {
    const titles = (handoff.situations || []).map((s) => s.title || s.id).filter(Boolean);
    return titles.length ? titles.join(", ") : "Situation non identifiée";
  }

  async function api(method, path, body) {
    const response = await App.send(method, path, body, state.csrf);
    if (response.status === 204) return null;
    if (!response.ok) {
      const detail = await App.errorDetail(response);
      if (response.status === 401 && state.agent && path !== "/api/auth/session") sessionExpired();
      throw App.refused(response, detail);
    }
    try {
      return await response.json();
    } catch (error) {
      return null;
    }
  }

  /* ---------- login and logout ---------- */

  function showLogin(message) {
    byId("console-view").hidden = true;
    byId("agent-bar").hidden = true;
    byId("login-view").hidden = false;
    document.title = "Connexion — console des conseillers";
    showError("login-error", message || "");
    byId("login-username").focus();
  }

  function stopLive() {
    closeQueueStream();
    closeConversationStream();
    if (state.tick) window.clearInterval(state.tick);
    state.tick = null;
  }

  function resetState() {
    stopLive();
    state.agent = null;
    state.csrf = "";
    state.waiting.clear();
    state.mine.clear();
    state.selected = null;
    state.detail = null;
    state.messages.clear();
    byId("detail-body").hidden = true;
    byId("detail-placeholder").hidden = false;
    byId("detail-title").textContent = "Conversation";
  }

  const { onLogin, onLogout, resume } = App.session({
    state,
    api,
    start: startConsole,
    showLogin,
    signedOut: () => {
      resetState();
      showLogin("");
    },
  });

  function sessionExpired() {
    if (!state.agent) return;
    resetState();
    showLogin("Votre session a expiré. Reconnectez-vous.");
  }

  async function startConsole(agent) {
    state.agent = agent;
    byId("agent-name").textContent = agent.display_name || agent.username;
    byId("login-view").hidden = true;
    byId("agent-bar").hidden = false;
    byId("console-view").hidden = false;
    document.title = "Console des conseillers — Assistant démarches";
    showError("login-error", "");
    renderQueue();
    openQueueStream();
    state.tick = window.setInterval(refreshDurations, TICK_MS);
    byId("queue-title").focus();
    await Promise.all([loadAgents(), loadReplies()]);
  }

  /* ---------- queue ---------- */

  function sortedWaiting() {
    return [...state.waiting.values()].sort((a, b) => {
      if (b.priority !== a.priority) return b.priority - a.priority;
      return (parseDate(a.created_at) || 0) - (parseDate(b.created_at) || 0);
    });
  }

  function sortedMine() {
    return [...state.mine.values()].sort(
      (a, b) => (parseDate(b.claimed_at) || 0) - (parseDate(a.claimed_at) || 0)
    );
  }

  async function loadQueue() {
    state.queueLoading = [];
    try {
      const [waiting, active] = await Promise.all([
        api("GET", "/api/handoffs?status=waiting"),
        api("GET", "/api/handoffs?status=active"),
      ]);
      state.waiting = new Map(waiting.handoffs.map((h) => [h.id, h]));
      state.mine = new Map(
        active.handoffs.filter((h) => h.agent_id === state.agent.id).map((h) => [h.id, h])
      );
      const replay = state.queueLoading;
      state.queueLoading = null;
      for (const event of replay) applyQueueEvent(event, false);
      renderQueue();
      byId("queue").dataset.loaded = "true";
    } catch (error) {
      state.queueLoading = null;
      if (error.status !== 401) byId("queue-state").textContent = error.message;
    }
  }

  function queueItem(handoff, mine) {
    const priority = Number(handoff.priority) || 1;
    const button = el("button", "handoff-item priority-" + priority);
    button.type = "button";
    button.dataset.id = handoff.id;
    if (handoff.id === state.selected) button.setAttribute("aria-current", "true");
    const first = el(
      "span",
      "line first",
      el("span", "badge priority-" + priority, "Priorité " + label(PRIORITY_LABELS, priority)),
      situationsText(handoff)
    );
    const since = mine ? handoff.claimed_at || handoff.created_at : handoff.created_at;
    const waited = el("span", "waited", duration(since));
    waited.dataset.since = since || "";
    const second = el(
      "span",
      "line second",
      mine ? "Prise en charge depuis " : "En attente depuis ",
      waited,
      " · " + label(CHANNEL_LABELS, handoff.channel) + " · " + label(REASON_LABELS, handoff.reason)
    );
    button.append(first, second);
    button.addEventListener("click", () => selectHandoff(handoff.id));
    return el("li", "", button);
  }

  function renderList(listId, emptyId, countId, items, mine) {
    const list = byId(listId);
    const active = document.activeElement;
    const focusedId = active && list.contains(active) ? active.dataset.id : null;
    list.replaceChildren(...items.map((h) => queueItem(h, mine)));
    byId(emptyId).hidden = items.length > 0;
    byId(countId).textContent = String(items.length);
    if (focusedId) {
      const again = list.querySelector('button[data-id="' + CSS.escape(focusedId) + '"]');
      (again || byId("queue-title")).focus();
    }
  }

  function renderQueue() {
    renderList("waiting-list", "waiting-empty", "waiting-count", sortedWaiting(), false);
    renderList("mine-list", "mine-empty", "mine-count", sortedMine(), true);
  }

  function refreshDurations() {
    for (const span of document.querySelectorAll(".waited")) {
      span.textContent = duration(span.dataset.since);
    }
    if (state.detail) renderMeta();
  }

  function applyQueueEvent(data, live) {
    const handoff = data.handoff;
    if (!handoff || !handoff.id) return;
    const me = state.agent && state.agent.id;
    if (data.event === "created") {
      const isNew = !state.waiting.has(handoff.id);
      state.waiting.set(handoff.id, handoff);
      if (live && isNew) {
        announce(
          "Nouvelle demande en attente : " +
            situationsText(handoff) +
            ", priorité " +
            label(PRIORITY_LABELS, handoff.priority) +
            ", " +
            label(REASON_LABELS, handoff.reason) +
            "."
        );
      }
    } else if (data.event === "claimed" || data.event === "transferred") {
      state.waiting.delete(handoff.id);
      if (handoff.agent_id === me) {
        if (live && data.event === "transferred" && !state.mine.has(handoff.id)) {
          announce("Une conversation vous a été transférée : " + situationsText(handoff) + ".");
        }
        state.mine.set(handoff.id, handoff);
      } else {
        state.mine.delete(handoff.id);
      }
    } else if (data.event === "closed") {
      state.waiting.delete(handoff.id);
      state.mine.delete(handoff.id);
    } else {
      return;
    }
    if (live && state.detail && state.detail.id === handoff.id) {
      const wasMine = isMine();
      Object.assign(state.detail, handoff);
      renderStatus();
      if (wasMine && !isMine() && handoff.status === "active") {
        const other = handoff.agent_name || "un autre conseiller";
        showError("detail-error", "Cette conversation est maintenant suivie par " + other + ".");
      }
    }
  }

  function onQueueEvent(data) {
    if (state.queueLoading) state.queueLoading.push(data);
    applyQueueEvent(data, true);
    renderQueue();
  }

  function closeQueueStream() {
    if (state.queueTimer) window.clearTimeout(state.queueTimer);
    state.queueTimer = null;
    if (state.queueSource) state.queueSource.close();
    state.queueSource = null;
    byId("queue").dataset.live = "closed";
  }

  function openQueueStream() {
    closeQueueStream();
    const source = new EventSource("/api/handoffs/events");
    state.queueSource = source;
    source.onopen = () => {
      if (state.queueSource !== source) return;
      state.queueRetry = RECONNECT_MIN_MS;
      byId("queue").dataset.live = "open";
      byId("queue-state").textContent = "";
      loadQueue(); // also catches up on what happened while the stream was down
    };
    source.onmessage = (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      onQueueEvent(data);
    };
    source.onerror = () => {
      if (state.queueSource !== source) return;
      byId("queue").dataset.live = "reconnecting";
      byId("queue-state").textContent = "Connexion au direct perdue : reconnexion en cours…";
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (for example after an error status): try again ourselves.
        source.close();
        state.queueTimer = window.setTimeout(reconnectQueue, state.queueRetry);
        state.queueRetry = Math.min(state.queueRetry * 2, RECONNECT_MAX_MS);
      }
    };
  }

  async function reconnectQueue() {
    try {
      await api("GET", "/api/auth/me");
    } catch (error) {
      if (error.status === 401) return; // sessionExpired() already ran
    }
    if (state.agent) openQueueStream();
  }

  /* ---------- one handoff ---------- */

  function isMine() {
    return Boolean(
      state.detail && state.agent && state.detail.status === "active" && state.detail.agent_id === state.agent.id
    );
  }

  async function selectHandoff(id) {
    state.selected = id;
    renderQueue();
    showError("detail-error", "");
    try {
      const detail = await api("GET", "/api/handoffs/" + encodeURIComponent(id));
      if (state.selected !== id) return;
      renderDetail(detail);
      openConversationStream(id);
      byId("detail-title").focus();
    } catch (error) {
      if (error.status !== 401) showError("detail-error", error.message);
    }
  }

  function renderMeta() {
    const d = state.detail;
    const parts = [
      "Statut : " + label(STATUS_LABELS, d.status),
      "canal : " + label(CHANNEL_LABELS, d.channel),
      "motif : " + label(REASON_LABELS, d.reason),
      "priorité " + label(PRIORITY_LABELS, d.priority),
      "demande reçue à " + clock(d.created_at),
    ];
    if (d.status === "waiting") parts.push("en attente depuis " + duration(d.created_at));
    if (d.status === "active") {
      parts.push("suivie par " + (d.agent_id === state.agent.id ? "vous" : d.agent_name || "un autre conseiller"));
    }
    if (d.status === "closed" && d.outcome) parts.push("résultat : " + label(OUTCOME_LABELS, d.outcome));
    byId("detail-meta").textContent = parts.join(" · ") + ".";
  }

  function renderStatus() {
    const d = state.detail;
    renderMeta();
    byId("detail-body").dataset.status = d.status;
    byId("claim-area").hidden = d.status !== "waiting";
    byId("owner-tools").hidden = !isMine();
    if (!isMine()) closeConversationStreamIfClosed();
  }

  function closeConversationStreamIfClosed() {
    if (state.detail && state.detail.status === "closed") closeConversationStream();
  }

  function fillList(id, items, render, emptyText) {
    const list = byId(id);
    const nodes = items.map(render);
    list.replaceChildren(...(nodes.length ? nodes : [el("li", "muted empty", emptyText)]));
  }

  function safeUrl(value) {
    try {
      const url = new URL(String(value || ""), window.location.href);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function renderPacket(packet) {
    byId("packet-summary").textContent = packet.summary || "Aucun résumé.";
    fillList(
      "packet-situations",
      packet.situations || [],
      (s) => el("li", "", (s.title || s.id) + (s.id ? " (" + s.id + ")" : "")),
      "Aucune situation identifiée."
    );
    const answers = byId("packet-answers");
    const pairs = [];
    for (const a of packet.answers || []) {
      pairs.push(el("dt", "", a.question || "Question"), el("dd", "", a.answer || "—"));
    }
    answers.replaceChildren(...pairs);
    answers.hidden = pairs.length === 0;
    byId("packet-answers-empty").hidden = pairs.length > 0;
    byId("packet-event-date").textContent = packet.event_date ? frenchDate(packet.event_date) : "Non précisée.";
    byId("packet-contact").textContent = packet.contact_consent && packet.contact ? packet.contact : "Aucune.";
    fillList(
      "packet-plan",
      packet.plan || [],
      (item) => {
        const url = safeUrl(item.url);
        const title = item.title || item.fiche_id || "Démarche";
        let head;
        if (url) {
          head = el("a", "", title, el("span", "visually-hidden", " (fiche officielle, nouvelle fenêtre)"));
          head.href = url;
          head.target = "_blank";
          head.rel = "noopener noreferrer";
        } else {
          head = el("span", "", title);
        }
        return el(
          "li",
          "",
          head,
          item.fiche_id ? " (" + item.fiche_id + ")" : "",
          item.deadline ? el("span", "", " — ", el("span", "deadline", item.deadline)) : ""
        );
      },
      "Aucun plan montré."
    );
    fillList(
      "packet-questions",
      packet.open_questions || [],
      (q) => el("li", "", q.text || q.id),
      "Aucune."
    );
  }

  function messageItem(message) {
    const role = message.role || "system";
    const item = el(
      "li",
      "from-" + role,
      el("span", "role", label(ROLE_LABELS, role) + (message.created_at ? " — " + clock(message.created_at) : "")),
      el("span", "text", message.text || (message.payload ? "[bouton] " + message.payload : ""))
    );
    item.dataset.id = String(message.id);
    item.dataset.role = role;
    return item;
  }

  function renderTranscript() {
    const list = byId("transcript");
    const sorted = [...state.messages.values()].sort((a, b) => a.id - b.id);
    list.replaceChildren(...sorted.map(messageItem));
    list.scrollTop = list.scrollHeight;
  }

  function addMessage(message, live) {
    if (!message || message.id === undefined || state.messages.has(message.id)) return;
    const list = byId("transcript");
    const last = list.lastElementChild;
    state.messages.set(message.id, message);
    if (!last || Number(last.dataset.id) < message.id) {
      list.append(messageItem(message));
      list.scrollTop = list.scrollHeight;
    } else {
      renderTranscript();
    }
    if (live && message.role === "user") announce("Nouveau message de la personne : " + (message.text || ""));
  }

  function renderNotes(notes) {
    fillList(
      "notes-list",
      notes,
      (n) => el("li", "", el("span", "meta", clock(n.created_at) + " — " + (n.agent_name || "") + " : "), n.text),
      "Aucune note."
    );
  }

  function renderDetail(detail) {
    state.detail = detail;
    const packet = detail.packet || {};
    byId("detail-placeholder").hidden = true;
    byId("detail-body").hidden = false;
    byId("detail-title").textContent = "Demande : " + situationsText(detail);
    renderStatus();
    renderPacket(packet);
    state.messages = new Map((detail.transcript || []).map((m) => [m.id, m]));
    renderTranscript();
    renderNotes(detail.notes || []);
    byId("reply-text").value = "";
    byId("note-text").value = "";
    renderAgents();
  }

  function closeConversationStream() {
    if (state.convTimer) window.clearTimeout(state.convTimer);
    state.convTimer = null;
    if (state.convSource) state.convSource.close();
    state.convSource = null;
    byId("detail").dataset.live = "closed";
  }

  function openConversationStream(id) {
    closeConversationStream();
    if (!state.detail || state.detail.status === "closed") return;
    const source = new EventSource("/api/handoffs/" + encodeURIComponent(id) + "/events");
    state.convSource = source;
    source.onopen = () => {
      if (state.convSource !== source) return;
      state.convRetry = RECONNECT_MIN_MS;
      byId("detail").dataset.live = "open";
      if (state.convReconnecting) {
        state.convReconnecting = false;
        refreshTranscript(id);
      }
    };
    source.onmessage = (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (data.event === "message" && state.selected === id) addMessage(data.message, true);
    };
    source.onerror = () => {
      if (state.convSource !== source) return;
      state.convReconnecting = true;
      byId("detail").dataset.live = "reconnecting";
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        state.convTimer = window.setTimeout(() => {
          if (state.agent && state.selected === id) openConversationStream(id);
        }, state.convRetry);
        state.convRetry = Math.min(state.convRetry * 2, RECONNECT_MAX_MS);
      }
    };
  }

  async function refreshTranscript(id) {
    try {
      const detail = await api("GET", "/api/handoffs/" + encodeURIComponent(id));
      if (state.selected !== id) return;
      for (const message of detail.transcript || []) addMessage(message, false);
      Object.assign(state.detail, detail);
      renderStatus();
    } catch (error) {
      // The next reconnection tries again.
    }
  }

  /* ---------- actions on the selected handoff ---------- */

  async function onClaim() {
    const id = state.selected;
    const button = byId("claim");
    button.disabled = true;
    showError("detail-error", "");
    try {
      const handoff = await api("POST", "/api/handoffs/" + encodeURIComponent(id) + "/claim");
      Object.assign(state.detail, handoff);
      state.waiting.delete(id);
      state.mine.set(id, handoff);
      renderQueue();
      renderStatus();
      announce("Vous avez pris en charge cette conversation.");
      byId("reply-text").focus();
    } catch (error) {
      showError("detail-error", error.message);
      if (error.status === 409) {
        state.waiting.delete(id);
        renderQueue();
        await refreshTranscript(id);
      }
    } finally {
      button.disabled = false;
    }
  }

  async function onReply(event) {
    event.preventDefault();
    const box = byId("reply-text");
    const text = box.value.trim();
    showError("detail-error", "");
    if (!text) {
      showError("detail-error", "Écrivez un message avant de l'envoyer.");
      box.focus();
      return;
    }
    const button = byId("reply-send");
    button.disabled = true;
    try {
      const message = await api("POST", "/api/handoffs/" + encodeURIComponent(state.selected) + "/messages", { text });
      addMessage(message, false);
      box.value = "";
      announce("Message envoyé.");
    } catch (error) {
      showError("detail-error", error.message);
    } finally {
      button.disabled = false;
      box.focus();
    }
  }

  function onReplyKey(event) {
    const modified = event.shiftKey || event.ctrlKey || event.altKey || event.metaKey;
    if (event.key === "Enter" && !modified && !event.isComposing) {
      event.preventDefault();
      byId("reply-form").requestSubmit();
    }
  }

  function onInsertCanned() {
    const select = byId("canned");
    const reply = state.replies[Number(select.value)];
    const box = byId("reply-text");
    if (!reply) {
      showError("detail-error", "Choisissez d'abord une réponse type.");
      select.focus();
      return;
    }
    box.value = box.value.trim() ? box.value.trimEnd() + " " + reply.text : reply.text;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    announce("Réponse type « " + reply.title + " » insérée.");
  }

  async function onNote(event) {
    event.preventDefault();
    const box = byId("note-text");
    const text = box.value.trim();
    showError("detail-error", "");
    if (!text) {
      showError("detail-error", "Écrivez la note avant de l'ajouter.");
      box.focus();
      return;
    }
    try {
      const note = await api("POST", "/api/handoffs/" + encodeURIComponent(state.selected) + "/notes", { text });
      const list = byId("notes-list");
      if (list.querySelector(".muted")) list.replaceChildren();
      list.append(
        el("li", "", el("span", "meta", clock(note.created_at) + " — " + state.agent.display_name + " : "), note.text)
      );
      box.value = "";
      announce("Note ajoutée.");
    } catch (error) {
      showError("detail-error", error.message);
    }
  }

  async function onTransfer(event) {
    event.preventDefault();
    const select = byId("transfer-agent");
    const agentId = Number(select.value);
    showError("detail-error", "");
    if (!agentId) {
      showError("detail-error", "Choisissez le conseiller à qui transférer la conversation.");
      select.focus();
      return;
    }
    try {
      const handoff = await api("POST", "/api/handoffs/" + encodeURIComponent(state.selected) + "/transfer", {
        agent_id: agentId,
      });
      Object.assign(state.detail, handoff);
      state.mine.delete(handoff.id);
      renderQueue();
      renderStatus();
      announce("Conversation transférée à " + (handoff.agent_name || "un autre conseiller") + ".");
      byId("detail-title").focus();
    } catch (error) {
      showError("detail-error", error.message);
    }
  }

  async function finish(backToBot) {
    const outcome = byId("close-outcome").value;
    showError("detail-error", "");
    try {
      const handoff = await api("POST", "/api/handoffs/" + encodeURIComponent(state.selected) + "/close", {
        outcome,
        back_to_bot: backToBot,
      });
      Object.assign(state.detail, handoff);
      state.mine.delete(handoff.id);
      renderQueue();
      renderStatus();
      closeConversationStream();
      announce(backToBot ? "La conversation est rendue au bot." : "La conversation est close.");
      byId("detail-title").focus();
    } catch (error) {
      showError("detail-error", error.message);
    }
  }

  /* ---------- agents and canned replies ---------- */

  async function loadAgents() {
    try {
      state.agents = (await api("GET", "/api/agents")).agents || [];
    } catch (error) {
      state.agents = [];
    }
    renderAgents();
  }

  function renderAgents() {
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

  async function loadReplies() {
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

  /* ---------- start ---------- */

  async function init() {
    byId("login-form").addEventListener("submit", onLogin);
    byId("logout").addEventListener("click", onLogout);
    byId("claim").addEventListener("click", onClaim);
    byId("reply-form").addEventListener("submit", onReply);
    byId("reply-text").addEventListener("keydown", onReplyKey);
    byId("canned-insert").addEventListener("click", onInsertCanned);
    byId("note-form").addEventListener("submit", onNote);
    byId("transfer-form").addEventListener("submit", onTransfer);
    byId("back-to-bot").addEventListener("click", () => finish(true));
    byId("close-form").addEventListener("submit", (event) => {
      event.preventDefault();
      finish(false);
    });
    window.addEventListener("pagehide", stopLive);
    await resume();
  }

  App.whenReady(init);
})();
