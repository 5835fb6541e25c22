/* DOM helpers shared by the agent console and the feedback dashboard: element lookups, elements
 * built from text, lists with an empty state, the live region and the error boxes.
 *
 * Everything inserted is text (textContent or text nodes), never HTML.
 */

export const byId = (id) => document.getElementById(id);

export function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child)); // strings become text nodes
  }
  return node;
}

/** The list `id` filled with `render(item)` for each item, or one muted `emptyText` item. */
export function fillList(id, items, render, emptyText) {
  const list = byId(id);
  const nodes = items.map(render);
  list.replaceChildren(...(nodes.length ? nodes : [el("li", "muted empty", emptyText)]));
}

export function announce(message) {
  const region = byId("announcer");
  region.textContent = "";
  // A fresh text node in a second step makes screen readers announce repeated messages too.
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

export function showError(id, message) {
  const box = byId(id);
  box.textContent = "";
  if (message) {
    window.setTimeout(() => {
      box.textContent = message;
    }, 30);
  }
}

export function whenReady(init) {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}
