/* The dashboard's French labels: channels, kinds of documents, categories, counts. */

import { byId } from "/common/static/dom.js";

export { CHANNEL_LABELS, label } from "/common/static/labels.js";

export const KIND_LABELS = {
  form: "formulaire",
  letter: "courrier",
  email: "courriel",
  notice: "notice",
  website: "site internet",
  document: "document",
};

/** The categories' labels, as the page's category filter lists them. */
export function categoryLabels() {
  const labels = {};
  for (const option of byId("filter-category").options) {
    if (option.value) labels[option.value] = option.textContent;
  }
  return labels;
}

export function categoryLabel(key) {
  return categoryLabels()[key] || String(key || "");
}

/** "1 signalement", "3 signalements". */
export function plural(count, one, many) {
  return count + " " + (count > 1 ? many : one);
}
