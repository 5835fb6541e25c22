/* The dashboard's requests to the feedback API: JSON answers, query strings of the filters, and
 * what a refusal means for the page (an expired session, or an account that is not an admin's).
 */

import { ApiError, requester } from "/common/static/api.js";
import { state } from "./state.js";
import { sessionExpired, showRefused } from "./views.js";

export const FILTER_NAMES = ["from", "to", "document", "organisation", "category"];

/** The response when it is a success; a refusal throws an `ApiError`. */
export const request = requester(state, (response, detail) => {
  if (response.status === 401) sessionExpired();
  if (response.status === 403 && detail.message !== "Jeton CSRF absent ou invalide.") {
    showRefused(state.agent);
  }
});

/** The JSON answer (null for 204); a refusal or an unreadable answer throws an `ApiError`. */
export async function api(method, path, body) {
  const response = await request(method, path, body);
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch (error) {
    throw new ApiError(response.status, "error", "La réponse du serveur est illisible.");
  }
}

/** "?from=…&category=…&page=2": the filters that are set, then `extra`; "" when there is nothing. */
export function query(filters, extra) {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    if (filters[name]) params.set(name, filters[name]);
  }
  for (const [name, value] of Object.entries(extra || {})) params.set(name, String(value));
  const text = params.toString();
  return text ? "?" + text : "";
}
