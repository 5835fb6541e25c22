/* The connection to the gateway: the conversation (created on first need), its WebSocket, and
 * reconnection with a growing, jittered delay. On every (re)connection the widget asks for what it
 * missed (`resume`) and sends its outbox again; the server processes each `client_id` once.
 */

import { addMessage, addPending, setTyping } from "./messages.js";

function socketUrl(w) {
  return w.gateway.replace(/^http/, "ws") + "/ws/conversations/" + encodeURIComponent(w.state.id);
}

function scheduleReconnect(w) {
  const state = w.state;
  clearTimeout(state.timer);
  let delay = Math.min(30000, 500 * Math.pow(2, state.attempts));
  delay = delay / 2 + Math.random() * (delay / 2);
  state.attempts += 1;
  state.timer = setTimeout(() => {
    state.timer = null;
    if (state.id) connect(w);
    else ensureConversation(w);
  }, delay);
}

function onFrame(w, event) {
  let data;
  try {
    data = JSON.parse(event.data);
  } catch (e) {
    return;
  }
  if (!data || typeof data !== "object") return;
  if (data.type === "message" && data.message && typeof data.message === "object") {
    addMessage(w, data.message);
  } else if (data.type === "typing") {
    setTyping(w, data.active !== false);
  } else if (data.type === "error" && typeof data.message === "string") {
    w.ui.errorBox.textContent = data.message;
  }
}

function frameOf(entry) {
  return entry.type === "payload"
    ? { type: "payload", payload: entry.payload, client_id: entry.client_id }
    : { type: "message", text: entry.text, client_id: entry.client_id };
}

/** An outbox entry to the server now, when the socket is open and resumed (else on connection). */
export function transmit(w, entry) {
  const socket = w.state.socket;
  if (socket && socket.readyState === WebSocket.OPEN && socket.__resumed) {
    socket.send(JSON.stringify(frameOf(entry)));
  }
}

export function connect(w) {
  const { state, ui } = w;
  if (!state.id) return;
  if (state.socket && state.socket.readyState <= WebSocket.OPEN) return;
  clearTimeout(state.timer);
  let socket;
  try {
    socket = new WebSocket(socketUrl(w));
  } catch (e) {
    scheduleReconnect(w);
    return;
  }
  state.socket = socket;
  socket.addEventListener("open", () => {
    state.attempts = 0;
    ui.status.textContent = "";
    socket.send(JSON.stringify({ type: "resume", after: state.lastId }));
    socket.__resumed = true;
    state.outbox.forEach((entry) => {
      socket.send(JSON.stringify(frameOf(entry)));
    });
    ui.host.setAttribute("data-connected", "true");
  });
  socket.addEventListener("message", (event) => onFrame(w, event));
  socket.addEventListener("close", (event) => {
    if (state.socket !== socket) return;
    state.socket = null;
    ui.host.setAttribute("data-connected", "false");
    setTyping(w, false);
    if (event.code === 4404) {
      // The conversation is gone (expired): start a new one, keeping what is still unsent.
      state.id = null;
      state.lastId = 0;
      w.save();
      ui.status.textContent = "Votre conversation précédente a expiré : une nouvelle conversation commence.";
      while (ui.list.firstChild) ui.list.removeChild(ui.list.firstChild);
      state.outbox.forEach((entry) => addPending(w, entry));
      if (state.outbox.length || state.open) ensureConversation(w);
      return;
    }
    ui.status.textContent = "Connexion interrompue. Nouvelle tentative de connexion…";
    scheduleReconnect(w);
  });
}

/** The conversation's socket, once the conversation exists (created here when it does not). */
export function ensureConversation(w) {
  const state = w.state;
  if (state.id) {
    connect(w);
    return;
  }
  if (state.creating) return;
  state.creating = true;
  fetch(w.gateway + "/api/conversations", {
    method: "POST",
    headers: { "content-type": "application/json" },
    credentials: "omit",
    mode: "cors",
  })
    .then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then((body) => {
      state.creating = false;
      if (!body || typeof body.id !== "string") throw new Error("réponse inattendue");
      state.id = body.id;
      state.attempts = 0;
      w.save();
      connect(w); // the welcome messages come with the replay
    })
    .catch(() => {
      state.creating = false;
      w.ui.status.textContent = "Le service ne répond pas pour le moment. Nouvelle tentative…";
      scheduleReconnect(w);
    });
}
