/* What the agent console and the feedback dashboard share: small DOM helpers, the live region,
 * requests carrying the session's CSRF token, and login, logout and resuming a session.
 *
 * A plain script (no module) loaded before each page's own script; it defines one global object,
 * `AssistantApp`. Everything it inserts is text (textContent or text nodes), never HTML.
 */
"use strict";

window.AssistantApp = (function () {
  const byId = (id) => document.getElementById(id);

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child)); // strings become text nodes
    }
    return node;
  }

  function label(map, key) {
    return map[key] || String(key || "inconnu");
  }

  function parseDate(value) {
    if (!value) return null;
    const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : value + "Z";
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  function announce(message) {
    const region = byId("announcer");
    region.textContent = "";
    // A fresh text node in a second step makes screen readers announce repeated messages too.
    window.setTimeout(() => {
      region.textContent = message;
    }, 50);
  }

  function showError(id, message) {
    const box = byId(id);
    box.textContent = "";
    if (message) {
      window.setTimeout(() => {
        box.textContent = message;
      }, 30);
    }
  }

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /** The response to a same-origin request; unsafe methods carry `csrf`. Network failures throw. */
  async function send(method, path, body, csrf) {
    const headers = { Accept: "application/json" };
    const init = { method, headers, credentials: "same-origin", cache: "no-store" };
    if (method !== "GET") headers["X-CSRF-Token"] = csrf;
    if (body instanceof URLSearchParams) {
      init.body = body;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    try {
      return await fetch(path, init);
    } catch (error) {
      throw new ApiError(0, "network", "Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.");
    }
  }

  /** The `error` object of a refused response (empty when the body is not JSON). */
  async function errorDetail(response) {
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    return (data && data.error) || {};
  }

  function refused(response, detail) {
    return new ApiError(response.status, detail.code || "error", detail.message || "Une erreur est survenue.");
  }

  /**
   * Login, logout and resuming a session, for a page with a `state` ({agent, csrf}), its `api`,
   * `start(agent)` once signed in, `showLogin(message)`, and `signedOut()` after a logout.
   */
  function session(options) {
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

  function whenReady(init) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", init);
    } else {
      init();
    }
  }

  return {
    byId,
    el,
    label,
    parseDate,
    announce,
    showError,
    ApiError,
    send,
    errorDetail,
    refused,
    session,
    whenReady,
  };
})();
