/* Agent console: login, live queue, handoff packet and transcript, replies, notes, transfer, closing.
 *
 * The entry module of the page (a module script: it runs once the page is parsed). Each job has its
 * own module in this directory; what the console shares with the feedback dashboard (DOM helpers,
 * requests, session, dates, live streams) is in /common/static/. The modules import functions from
 * each other (some in a cycle, which ES modules allow): nothing runs before `init`.
 *
 * Everything that comes from a person or from the server is inserted as text (textContent or text
 * nodes), never as HTML. Unsafe requests carry the session's CSRF token.
 */

import { byId, whenReady } from "/common/static/dom.js";
import { session } from "/common/static/session.js";
import { finish, onClaim, onInsertCanned, onNote, onReply, onReplyKey, onTransfer } from "./actions.js";
import { api } from "./api.js";
import { showLogin, signedOut, startConsole, stopLive } from "./login.js";
import { state } from "./state.js";

const { onLogin, onLogout, resume } = session({
  state,
  api,
  start: startConsole,
  showLogin,
  signedOut,
});

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

whenReady(init);
