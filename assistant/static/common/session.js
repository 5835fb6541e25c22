/* Login, logout and resuming a session, for the agent console and the feedback dashboard. */

import { announce, byId, showError } from "./dom.js";

/**
 * Login, logout and resuming a session, for a page with a `state` ({agent, csrf}), its `api`,
 * `start(agent)` once signed in, `showLogin(message)`, and `signedOut()` after a logout.
 */
export function session(options) {
  const { state, api, start, showLogin, signedOut } = options;

  async function onLogin(event) {
    event.preventDefault();
    const username = byId("login-username");
    const password = byId("login-password");
    username.removeAttribute("aria-invalid");
    password.removeAttribute("aria-invalid");
    if (!username.value.trim() || !password.value) {
      const missing = !username.value.trim() ? username : password;
      missing.setAttribute("aria-invalid", "true");
      showError("login-error", "Saisissez votre identifiant et votre mot de passe.");
      missing.focus();
      return;
    }
    const submit = byId("login-submit");
    submit.disabled = true;
    try {
      const data = await api(
        "POST",
        "/api/auth/session",
        new URLSearchParams({ username: username.value.trim(), password: password.value })
      );
      password.value = "";
      state.csrf = data.csrf_token || "";
      await start(data.agent);
    } catch (error) {
      if (error.status === 401) {
        username.setAttribute("aria-invalid", "true");
        password.setAttribute("aria-invalid", "true");
      }
      showError("login-error", error.message);
      password.value = "";
      password.focus();
    } finally {
      submit.disabled = false;
    }
  }

  async function onLogout() {
    try {
      await api("POST", "/api/auth/logout");
    } catch (error) {
      // The session is forgotten on this page anyway.
    }
    signedOut();
    announce("Vous êtes déconnecté.");
  }

  /** The session already open in this browser, or the login form; then the page is ready. */
  async function resume() {
    try {
      const me = await api("GET", "/api/auth/me");
      state.csrf = me.csrf_token || "";
      await start(me.agent);
    } catch (error) {
      showLogin(error.status === 401 ? "" : error.message);
    }
    document.body.dataset.ready = "true";
  }

  return { onLogin, onLogout, resume };
}
