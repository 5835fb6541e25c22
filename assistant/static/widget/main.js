/* The widget itself, started by the loader (/widget.js) with what it read on the tag.
 *
 * `start(options)` builds the widget (view.js) in a shadow root and wires it: opening and closing,
 * the keyboard, the form, the options menu (menu.js: "Parler à un conseiller", "Continuer sur mon
 * téléphone", the plan), the unread count (unread.js) and the connection (connection.js). The
 * other modules share one object, `w`: {gateway, config, state, save, ui, choose(payload, title)}.
 * Message data only ever goes into the page through textContent, never as HTML.
 */

import { configure } from "./config.js";
import { connect, ensureConversation } from "./connection.js";
import { addPending, scrollToEnd } from "./messages.js";
import { setMenuOpen, wireMenu } from "./menu.js";
import { loadPhoneChannels, requestLinkCode } from "./phone.js";
import { sendPayload, sendText } from "./sending.js";
import { ASK_HUMAN, createState } from "./state.js";
import { markSeen } from "./unread.js";
import { MAX_TEXT, buildView } from "./view.js";

export function start(options) {
  const config = configure(options);
  const { state, save } = createState(config.gateway);
  const ui = buildView(config);
  const w = { gateway: config.gateway, config, state, save, ui, choose: null };
  w.choose = (payload, title) => sendPayload(w, payload, title);
  const { host, launcher, panel, closeButton, form, input } = ui;

  // ---- opening, closing, keyboard -------------------------------------------------------------
  function setOpen(open, focus) {
    state.open = open;
    save();
    panel.hidden = !open;
    launcher.hidden = open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    host.classList.toggle("dw-is-open", open);
    if (!open) setMenuOpen(w, false, false);
    if (open) {
      markSeen(w);
      ensureConversation(w);
      scrollToEnd(w);
      if (focus) input.focus();
    } else if (focus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", () => {
    setOpen(true, true);
  });
  closeButton.addEventListener("click", () => {
    setOpen(false, true);
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false, true);
    }
  });

  function submit() {
    const text = input.value.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "").trim();
    if (!text) {
      ui.errorBox.textContent = "Écrivez votre message avant de l'envoyer.";
      input.focus();
      return;
    }
    if (text.length > MAX_TEXT) {
      ui.errorBox.textContent = "Votre message dépasse " + MAX_TEXT + " caractères.";
      input.focus();
      return;
    }
    input.value = "";
    autoGrow();
    sendText(w, text);
    input.focus();
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener("keydown", (event) => {
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
  wireMenu(w, {
    human: () => sendPayload(w, ASK_HUMAN, "Parler à un conseiller"),
    phone: () => requestLinkCode(w),
  });

  window.addEventListener("online", () => {
    state.attempts = 0;
    if (state.id && !state.socket) connect(w);
    else if (!state.id && (state.open || state.outbox.length)) ensureConversation(w);
  });

  // ---- start ----------------------------------------------------------------------------------
  function show() {
    document.body.appendChild(host);
    state.outbox.forEach((entry) => addPending(w, entry));
    if (state.open) setOpen(true, false);
    else if (state.id) connect(w); // agent replies arrive even with the panel closed
    host.setAttribute("data-ready", "true");
    loadPhoneChannels(w);
  }
  if (document.body) show();
  else document.addEventListener("DOMContentLoaded", show);
}
