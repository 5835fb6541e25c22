/* The exports of the filtered reports: CSV, and JSON for Services Publics+. */

import { announce, el, showError } from "/common/static/dom.js";
import { api, query, request } from "./api.js";
import { plural } from "./format.js";
import { state } from "./state.js";

function saveFile(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = el("a", "visually-hidden", filename);
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export async function exportFile(kind, button) {
  button.disabled = true;
  showError("results-error", "");
  try {
    if (kind === "csv") {
      const response = await request("GET", "/api/feedback.csv" + query(state.filters));
      saveFile(await response.blob(), "signalements.csv");
      announce("Export CSV prêt : fichier signalements.csv.");
    } else {
      const data = await api("GET", "/api/feedback/export" + query(state.filters));
      const text = JSON.stringify(data, null, 2);
      saveFile(new Blob([text], { type: "application/json" }), "signalements-services-publics.json");
      announce(
        "Export JSON prêt : " +
          plural((data.signalements || []).length, "signalement", "signalements") +
          " dans signalements-services-publics.json."
      );
    }
  } catch (error) {
    if (error.status !== 401 && error.status !== 403) showError("results-error", error.message);
  } finally {
    button.disabled = false;
    button.focus();
  }
}
