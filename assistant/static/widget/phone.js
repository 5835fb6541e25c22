/* Continuity across channels, only on request: a short code to send from the phone (SMS, Telegram).
 * The gateway says where (GATEWAY/widget/config): its SMS number, its Telegram bot; with neither,
 * "Continuer sur mon téléphone" is not offered. The code shows in the conversation's log.
 */

import { el } from "./dom.js";
import { scrollToEnd } from "./messages.js";

/** Read where a code can be sent; the menu offers the phone once there is somewhere to send it. */
export function loadPhoneChannels(w) {
  fetch(w.gateway + "/widget/config", { credentials: "omit", mode: "cors" })
    .then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then((body) => {
      const text = (value) => (typeof value === "string" && value ? value : null);
      w.phoneChannels = { sms: text(body && body.sms_number), telegram: text(body && body.telegram_bot) };
      w.ui.menu.phone.hidden = !(w.phoneChannels.sms || w.phoneChannels.telegram);
    })
    .catch(() => {
      /* the gateway cannot be reached: the option stays hidden */
    });
}

/** The note joins the conversation's log (where it is read out), in place of an earlier one. */
function showNote(w, text) {
  const list = w.ui.list;
  const old = list.querySelector("li.dw-code");
  if (old) list.removeChild(old);
  const item = el("li", "dw-code");
  item.setAttribute("data-role", "system");
  item.appendChild(el("p", "dw-bubble", text));
  list.insertBefore(item, list.querySelector("li.dw-pending"));
  scrollToEnd(w);
}

/** "par SMS au +33…" and/or "au bot Telegram @…", as configured. */
function where(channels) {
  const places = [];
  if (channels.sms) places.push("par SMS au " + channels.sms);
  if (channels.telegram) places.push("au bot Telegram " + channels.telegram);
  return places.join(" ou ");
}

/** Ask the gateway for a code linking this conversation, and show it (or why there is none). */
export function requestLinkCode(w) {
  if (!w.state.id) {
    showNote(w, "Écrivez d'abord un message, puis demandez votre code.");
    return;
  }
  fetch(w.gateway + "/api/conversations/" + encodeURIComponent(w.state.id) + "/link-code", {
    method: "POST",
    credentials: "omit",
    mode: "cors",
  })
    .then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then((body) => {
      const code = String(body.code);
      showNote(
        w,
        "Votre code : " + code + ". Pour continuer cette conversation sur votre téléphone, envoyez « CODE " +
          code + " » " + where(w.phoneChannels || {}) + " dans les 15 minutes."
      );
    })
    .catch(() => {
      showNote(w, "Le code n'a pas pu être créé. Réessayez dans un instant.");
    });
}
