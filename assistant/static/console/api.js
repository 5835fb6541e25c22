/* The console's requests: JSON answers, and an expired session sends the agent back to the login. */

import { requester } from "/common/static/api.js";
import { sessionExpired } from "./login.js";
import { state } from "./state.js";

const request = requester(state, (response) => {
  if (response.status === 401) sessionExpired();
});

/** The JSON answer (null when there is none); a refusal throws an `ApiError`. */
export async function api(method, path, body) {
  const response = await request(method, path, body);
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch (error) {
    return null;
  }
}
