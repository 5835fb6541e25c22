/* Same-origin requests to the gateway's API: the session cookie, the CSRF token on unsafe methods,
 * and refusals turned into `ApiError`s carrying the server's French message.
 */

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The response to a same-origin request; unsafe methods carry `csrf`. Network failures throw. */
export async function send(method, path, body, csrf) {
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
export async function errorDetail(response) {
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    data = null;
  }
  return (data && data.error) || {};
}

export function refused(response, detail) {
  return new ApiError(response.status, detail.code || "error", detail.message || "Une erreur est survenue.");
}

/**
 * `request(method, path, body)` for a page whose `state` holds {agent, csrf}: the response when it
 * is a success, else an `ApiError`. While someone is signed in, a refusal of anything but the login
 * itself first goes to `onRefused(response, detail)` (an expired session, a forbidden page…).
 */
export function requester(state, onRefused) {
  return async function request(method, path, body) {
    const response = await send(method, path, body, state.csrf);
    if (!response.ok) {
      const detail = await errorDetail(response);
      if (state.agent && path !== "/api/auth/session") onRefused(response, detail);
      throw refused(response, detail);
    }
    return response;
  };
}
