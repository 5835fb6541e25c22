/*
 * The web widget of the démarches assistant. One tag embeds it on any site:
 *   <script src="https://GATEWAY/widget.js" data-gateway="https://GATEWAY" data-color="#000091"
 *           data-welcome="Bonjour !" defer></script>
 * Everything lives in a shadow root (styles from GATEWAY/widget.css); message data only ever
 * goes into the page through textContent, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__demarchesWidget) return;
  window.__demarchesWidget = true;

  var DEFAULT_COLOR = "#000091";
  var ASK_HUMAN = "/ask_human";
  var MAX_TEXT = 2000;
  var TYPING_TIMEOUT_MS = 30000;
  var ROLE_LABELS = { user: "Vous", bot: "Assistant", agent: "Conseiller", system: "Information" };
  var URL_RE = /https?:\/\/[^\s<>"'«»]+/g;

  // ---- configuration from the data- attributes ----------------------------------------------
  function gatewayUrl() {
    var raw = script.getAttribute("data-gateway") || script.src;
    try {
      var url = new URL(raw, document.baseURI);
      if (url.protocol !== "http:" && url.protocol !== "https:") return null;
      return url.origin;
    } catch (e) {
      return null;
    }
  }
  var gateway = gatewayUrl();
  if (!gateway) return;

  function parseColor(value) {
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value || "").trim());
    if (!m) return null;
    var hex = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    return "#" + hex.toLowerCase();
  }
  function luminance(hex) {
    var channels = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  var primary = parseColor(script.getAttribute("data-color")) || DEFAULT_COLOR;
  // Text on the colour: white or near-black, whichever reads better (one of them is >= 4.5:1).
  var onPrimary = contrast(primary, "#ffffff") >= contrast(primary, "#161616") ? "#ffffff" : "#161616";
  // The colour as text on white (links, outlined buttons) only where it reaches 4.5:1.
  var accent = contrast(primary, "#ffffff") >= 4.5 ? primary : DEFAULT_COLOR;
  var welcome =
    (script.getAttribute("data-welcome") || "").trim() ||
    "Bonjour ! Décrivez votre situation et je vous indique les démarches à faire.";
  var title = (script.getAttribute("data-title") || "").trim() || "Assistant démarches";
  var launcherText = (script.getAttribute("data-button") || "").trim() || "Une question sur vos démarches ?";

  // ---- storage: the conversation survives a reload (sessionStorage, memory when blocked) -------
  var storageKey = "demarches-widget:" + gateway;
  var memoryStore = null;
  function load() {
    try {
      var raw = window.sessionStorage.getItem(storageKey);
      var data = raw ? JSON.parse(raw) : null;
      if (data && typeof data === "object") return data;
    } catch (e) {
      if (memoryStore) return memoryStore;
    }
    return memoryStore || {};
  }
  var saved = load();
  var state = {
    id: typeof saved.id === "string" ? saved.id : null,
    open: saved.open === true,
    outbox: Array.isArray(saved.outbox) ? saved.outbox : [],
    lastId: 0,
    socket: null,
    attempts: 0,
    timer: null,
    creating: false,
    typingTimer: null,
    payloadTitles: {},
  };
  state.payloadTitles[ASK_HUMAN] = "Parler à un conseiller";
  function save() {
    var data = { id: state.id, open: state.open, outbox: state.outbox };
    memoryStore = data;
    try {
      window.sessionStorage.setItem(storageKey, JSON.stringify(data));
    } catch (e) {
      /* storage blocked: the memory copy is enough for this page */
    }
  }

  // ---- DOM helpers ----------------------------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function srOnly(text) {
    return el("span", "dw-sr", text);
  }

  function safeHref(raw) {
    try {
      var url = new URL(raw);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** Text with its http(s) URLs as links; everything through text nodes. */
  function appendLinkified(parent, text) {
    var last = 0;
    var match;
    URL_RE.lastIndex = 0;
    while ((match = URL_RE.exec(text)) !== null) {
      var url = match[0].replace(/[.,;:!?)\]]+$/, "");
      var href = safeHref(url);
      if (!href) continue;
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var a = el("a", null, url);
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.appendChild(srOnly(" (nouvelle fenêtre)"));
      parent.appendChild(a);
      last = match.index + url.length;
      URL_RE.lastIndex = last;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // ---- build the widget -----------------------------------------------------------------------
  var host = el("div");
  host.id = "demarches-widget";
  host.style.setProperty("--dw-primary", primary);
  host.style.setProperty("--dw-on-primary", onPrimary);
  host.style.setProperty("--dw-accent", accent);
  host.style.display = "none"; // until the stylesheet is there
  var root = host.attachShadow({ mode: "open" });
  var stylesheet = el("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = gateway + "/widget.css";
  function showHost() {
    host.style.display = "";
  }
  stylesheet.addEventListener("load", showHost);
  stylesheet.addEventListener("error", showHost);
  root.appendChild(stylesheet);

  var launcher = el("button", "dw-launcher", launcherText);
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "dw-panel");

  var panel = el("section", "dw-panel");
  panel.id = "dw-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "false");
  panel.setAttribute("aria-labelledby", "dw-title");
  panel.hidden = true;

  var header = el("div", "dw-header");
  var heading = el("h2", "dw-title", title);
  heading.id = "dw-title";
  heading.tabIndex = -1;
  var closeButton = el("button", "dw-close", "×");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", "Fermer l'assistant");
  header.appendChild(heading);
  header.appendChild(closeButton);

  var status = el("p", "dw-status");
  status.setAttribute("role", "status");
  var errorBox = el("p", "dw-error");
  errorBox.setAttribute("role", "alert");

  var log = el("div", "dw-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-relevant", "additions");
  log.setAttribute("aria-label", "Conversation");
  log.tabIndex = 0;
  var welcomeNode = el("p", "dw-welcome");
  welcomeNode.appendChild(srOnly("Assistant : "));
  appendLinkified(welcomeNode, welcome);
  var list = el("ol", "dw-messages");
  log.appendChild(welcomeNode);
  log.appendChild(list);

  var typing = el("p", "dw-typing");
  typing.hidden = true;
  typing.appendChild(document.createTextNode("L'assistant écrit"));
  var dots = el("span", "dw-dots");
  dots.setAttribute("aria-hidden", "true");
  dots.appendChild(el("span", null, "."));
  dots.appendChild(el("span", null, "."));
  dots.appendChild(el("span", null, "."));
  typing.appendChild(dots);

  var form = el("form", "dw-form");
  form.noValidate = true;
  var label = el("label", "dw-sr", "Votre message");
  label.htmlFor = "dw-input";
  var input = el("textarea", "dw-input");
  input.id = "dw-input";
  input.rows = 1;
  input.maxLength = MAX_TEXT;
  input.placeholder = "Votre message";
  input.setAttribute("aria-describedby", "dw-hint");
  var hint = el("span", "dw-sr", "Entrée pour envoyer, Maj + Entrée pour aller à la ligne.");
  hint.id = "dw-hint";
  var send = el("button", "dw-send", "Envoyer");
  send.type = "submit";
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(hint);
  form.appendChild(send);

  var actions = el("div", "dw-actions");
  var human = el("button", "dw-human", "Parler à un conseiller");
  human.type = "button";
  actions.appendChild(human);
  var phone = el("button", "dw-human dw-phone", "Continuer sur mon téléphone");
  phone.type = "button";
  actions.appendChild(phone);
  var codeNote = el("p", "dw-code");
  codeNote.setAttribute("role", "status");
  codeNote.hidden = true;
  actions.appendChild(codeNote);

  panel.appendChild(header);
  panel.appendChild(status);
  panel.appendChild(errorBox);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  panel.appendChild(actions);
  root.appendChild(panel);
  root.appendChild(launcher);

  // ---- messages -------------------------------------------------------------------------------
  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function setTyping(active) {
    clearTimeout(state.typingTimer);
    typing.hidden = !active;
    if (active) {
      state.typingTimer = setTimeout(function () {
        typing.hidden = true;
      }, TYPING_TIMEOUT_MS);
      scrollToEnd();
    }
  }

  function userLabel(message) {
    if (message.text) return message.text;
    if (message.payload && state.payloadTitles[message.payload]) return state.payloadTitles[message.payload];
    return "Choix envoyé";
  }

  /** Only the buttons offered after the person's last message can still be pressed. */
  function refreshChoices() {
    var items = list.children;
    var afterUser = true;
    for (var i = items.length - 1; i >= 0; i--) {
      var item = items[i];
      var buttons = item.querySelectorAll(".dw-choice");
      for (var j = 0; j < buttons.length; j++) buttons[j].disabled = !afterUser;
      if (item.getAttribute("data-role") === "user") afterUser = false;
    }
  }

  function renderItem(message, pending) {
    var role = ROLE_LABELS[message.role] ? message.role : "system";
    var item = el("li", "dw-msg");
    item.setAttribute("data-role", role);
    if (role === "agent") {
      item.appendChild(el("span", "dw-badge", "Conseiller"));
    }
    var bubble = el("p", "dw-bubble");
    if (role !== "agent") bubble.appendChild(srOnly(ROLE_LABELS[role] + " : "));
    else bubble.appendChild(srOnly(" : "));
    appendLinkified(bubble, role === "user" ? userLabel(message) : message.text || "");
    item.appendChild(bubble);
    if (pending) {
      item.classList.add("dw-pending");
      item.appendChild(el("span", "dw-note", "Envoi en cours…"));
    }
    var buttons = message.buttons || [];
    if (buttons.length && role !== "user") {
      var group = el("div", "dw-choices");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Réponses proposées");
      buttons.forEach(function (b) {
        if (typeof b.title !== "string" || typeof b.payload !== "string") return;
        state.payloadTitles[b.payload] = b.title;
        var button = el("button", "dw-choice", b.title);
        button.type = "button";
        button.addEventListener("click", function () {
          if (button.disabled) return;
          sendPayload(b.payload, b.title);
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    return item;
  }

  function confirmPending(item, message) {
    item.classList.remove("dw-pending");
    var note = item.querySelector(".dw-note");
    if (note) item.removeChild(note);
    item.setAttribute("data-id", String(message.id));
    item.removeAttribute("data-client-id");
  }

  function findPending(clientId) {
    var items = list.querySelectorAll("li[data-client-id]");
    for (var i = 0; i < items.length; i++) {
      if (items[i].getAttribute("data-client-id") === clientId) return items[i];
    }
    return null;
  }

  function addMessage(message) {
    if (typeof message.id !== "number" || message.id <= state.lastId) return;
    state.lastId = message.id;
    if (message.role === "user" && message.client_id) {
      var before = state.outbox.length;
      state.outbox = state.outbox.filter(function (m) {
        return m.client_id !== message.client_id;
      });
      if (state.outbox.length !== before) save();
      var pendingItem = findPending(message.client_id);
      if (pendingItem) {
        confirmPending(pendingItem, message);
        list.insertBefore(pendingItem, list.querySelector("li.dw-pending")); // transcript order
        refreshChoices();
        return;
      }
    }
    if (message.role !== "user") setTyping(false);
    var hasContent = message.text || (message.buttons && message.buttons.length) || message.role === "user";
    if (!hasContent) return;
    var item = renderItem(message, false);
    item.setAttribute("data-id", String(message.id));
    // Pending bubbles stay last, after what the server already has.
    var firstPending = list.querySelector("li.dw-pending");
    list.insertBefore(item, firstPending);
    refreshChoices();
    scrollToEnd();
  }

  function addPending(entry) {
    var item = renderItem({ role: "user", text: entry.label }, true);
    item.setAttribute("data-client-id", entry.client_id);
    list.appendChild(item);
    refreshChoices();
    scrollToEnd();
  }

  // ---- sending --------------------------------------------------------------------------------
  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function frameOf(entry) {
    return entry.type === "payload"
      ? { type: "payload", payload: entry.payload, client_id: entry.client_id }
      : { type: "message", text: entry.text, client_id: entry.client_id };
  }

  function transmit(entry) {
    var socket = state.socket;
    if (socket && socket.readyState === WebSocket.OPEN && socket.__resumed) {
      socket.send(JSON.stringify(frameOf(entry)));
    }
  }

  function queue(entry) {
    errorBox.textContent = "";
    state.outbox.push(entry);
    save();
    addPending(entry);
    if (!state.id) ensureConversation();
    else if (!state.socket) connect();
    else transmit(entry);
  }

  function sendText(text) {
    queue({ type: "message", text: text, label: text, client_id: newClientId() });
  }

  function sendPayload(payload, label) {
    queue({ type: "payload", payload: payload, label: label, client_id: newClientId() });
    input.focus();
  }

  // ---- connection -----------------------------------------------------------------------------
  function socketUrl() {
    return gateway.replace(/^http/, "ws") + "/ws/conversations/" + encodeURIComponent(state.id);
  }

  function scheduleReconnect() {
    clearTimeout(state.timer);
    var delay = Math.min(30000, 500 * Math.pow(2, state.attempts));
    delay = delay / 2 + Math.random() * (delay / 2);
    state.attempts += 1;
    state.timer = setTimeout(function () {
      state.timer = null;
      if (state.id) connect();
      else ensureConversation();
    }, delay);
  }

  function onFrame(event) {
    var data;
    try {
      data = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    if (!data || typeof data !== "object") return;
    if (data.type === "message" && data.message && typeof data.message === "object") {
      addMessage(data.message);
    } else if (data.type === "typing") {
      setTyping(data.active !== false);
    } else if (data.type === "error" && typeof data.message === "string") {
      errorBox.textContent = data.message;
    }
  }

  function connect() {
    if (!state.id) return;
    if (state.socket && state.socket.readyState <= WebSocket.OPEN) return;
    clearTimeout(state.timer);
    var socket;
    try {
      socket = new WebSocket(socketUrl());
    } catch (e) {
      scheduleReconnect();
      return;
    }
    state.socket = socket;
    socket.addEventListener("open", function () {
      state.attempts = 0;
      status.textContent = "";
      socket.send(JSON.stringify({ type: "resume", after: state.lastId }));
      socket.__resumed = true;
      state.outbox.forEach(function (entry) {
        socket.send(JSON.stringify(frameOf(entry)));
      });
      host.setAttribute("data-connected", "true");
    });
    socket.addEventListener("message", onFrame);
    socket.addEventListener("close", function (event) {
      if (state.socket !== socket) return;
      state.socket = null;
      host.setAttribute("data-connected", "false");
      setTyping(false);
      if (event.code === 4404) {
        // The conversation is gone (expired): start a new one, keeping what is still unsent.
        state.id = null;
        state.lastId = 0;
        save();
        status.textContent = "Votre conversation précédente a expiré : une nouvelle conversation commence.";
        while (list.firstChild) list.removeChild(list.firstChild);
        state.outbox.forEach(addPending);
        if (state.outbox.length || state.open) ensureConversation();
        return;
      }
      status.textContent = "Connexion interrompue. Nouvelle tentative de connexion…";
      scheduleReconnect();
    });
  }

  function ensureConversation() {
    if (state.id) {
      connect();
      return;
    }
    if (state.creating) return;
    state.creating = true;
    fetch(gateway + "/api/conversations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      credentials: "omit",
      mode: "cors",
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (body) {
        state.creating = false;
        if (!body || typeof body.id !== "string") throw new Error("réponse inattendue");
        state.id = body.id;
        state.attempts = 0;
        save();
        connect(); // the welcome messages come with the replay
      })
      .catch(function () {
        state.creating = false;
        status.textContent = "Le service ne répond pas pour le moment. Nouvelle tentative…";
        scheduleReconnect();
      });
  }

  // ---- opening, closing, keyboard -------------------------------------------------------------
  function setOpen(open, focus) {
    state.open = open;
    save();
    panel.hidden = !open;
    launcher.hidden = open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    host.classList.toggle("dw-is-open", open);
    if (open) {
      ensureConversation();
      scrollToEnd();
      if (focus) input.focus();
    } else if (focus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () {
    setOpen(true, true);
  });
  closeButton.addEventListener("click", function () {
    setOpen(false, true);
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false, true);
    }
  });

  function submit() {
    var text = input.value.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "").trim();
    if (!text) {
      errorBox.textContent = "Écrivez votre message avant de l'envoyer.";
      input.focus();
      return;
    }
    if (text.length > MAX_TEXT) {
      errorBox.textContent = "Votre message dépasse " + MAX_TEXT + " caractères.";
      input.focus();
      return;
    }
    input.value = "";
    autoGrow();
    sendText(text);
    input.focus();
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  function autoGrow() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, 128) + "px";
  }
  input.addEventListener("input", autoGrow);
  human.addEventListener("click", function () {
    sendPayload(ASK_HUMAN, "Parler à un conseiller");
  });
  // Continuity across channels, only on request: a short code to send from the phone.
  phone.addEventListener("click", function () {
    if (!state.id) {
      codeNote.hidden = false;
      codeNote.textContent = "Écrivez d'abord un message, puis demandez votre code.";
      return;
    }
    fetch(gateway + "/api/conversations/" + encodeURIComponent(state.id) + "/link-code", {
      method: "POST",
      credentials: "omit",
      mode: "cors",
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (body) {
        codeNote.hidden = false;
        codeNote.textContent =
          "Votre code : " + String(body.code) + ". Envoyez « CODE " + String(body.code) +
          " » par SMS ou sur Telegram dans les 15 minutes pour continuer cette conversation.";
      })
      .catch(function () {
        codeNote.hidden = false;
        codeNote.textContent = "Le code n'a pas pu être créé. Réessayez dans un instant.";
      });
  });

  window.addEventListener("online", function () {
    state.attempts = 0;
    if (state.id && !state.socket) connect();
    else if (!state.id && (state.open || state.outbox.length)) ensureConversation();
  });

  // ---- start ----------------------------------------------------------------------------------
  function start() {
    document.body.appendChild(host);
    state.outbox.forEach(addPending);
    if (state.open) setOpen(true, false);
    else if (state.id) connect(); // agent replies arrive even with the panel closed
    host.setAttribute("data-ready", "true");
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
