/* Continuity across channels, only on request: a short code to send from the phone (SMS, Telegram). */

/** Ask the gateway for a code linking this conversation, and show it (or why there is none). */
export function requestLinkCode(w) {
  const codeNote = w.ui.codeNote;
  if (!w.state.id) {
    codeNote.hidden = false;
    codeNote.textContent = "Écrivez d'abord un message, puis demandez votre code.";
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
      codeNote.hidden = false;
      codeNote.textContent =
        "Votre code : " + String(body.code) + ". Envoyez « CODE " + String(body.code) +
        " » par SMS ou sur Telegram dans les 15 minutes pour continuer cette conversation.";
    })
    .catch(() => {
      codeNote.hidden = false;
      codeNote.textContent = "Le code n'a pas pu être créé. Réessayez dans un instant.";
    });
}
