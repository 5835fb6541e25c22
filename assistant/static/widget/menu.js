/* The options menu: one button in the header shows the secondary actions ("Parler à un
 * conseiller", "Continuer sur mon téléphone", the plan and its dates), so that the conversation
 * keeps the panel's height. A disclosure: aria-expanded on the button; Escape, a choice or a
 * click elsewhere closes it; the arrow keys move between its items.
 */

import { ASK_HUMAN } from "./state.js";

function visibleItems(menu) {
  return Array.prototype.filter.call(menu.list.children, (item) => !item.hidden);
}

/** The same action never twice on screen: a conversation that offers a human already hides it here. */
function hideOffered(w) {
  const offered = w.ui.list.querySelectorAll(".dw-choice:not(:disabled)");
  const asked = Array.prototype.some.call(offered, (b) => b.getAttribute("data-payload") === ASK_HUMAN);
  w.ui.menu.human.hidden = asked;
}

export function setMenuOpen(w, open, focusButton) {
  const menu = w.ui.menu;
  if (open) hideOffered(w);
  menu.list.hidden = !open;
  menu.button.setAttribute("aria-expanded", open ? "true" : "false");
  if (open) {
    const first = visibleItems(menu)[0];
    if (first) first.focus();
  } else if (focusButton) {
    menu.button.focus();
  }
}

/** Wire the menu; `actions` maps an item's name (human, phone) to what it does. */
export function wireMenu(w, actions) {
  const menu = w.ui.menu;
  menu.button.addEventListener("click", () => {
    setMenuOpen(w, menu.list.hidden, false);
  });
  Object.keys(actions).forEach((name) => {
    menu[name].addEventListener("click", () => {
      setMenuOpen(w, false, false);
      actions[name]();
    });
  });
  [menu.plan, menu.agenda].forEach((link) =>
    link.addEventListener("click", () => setMenuOpen(w, false, false))
  );
  menu.list.addEventListener("keydown", (event) => {
    const items = visibleItems(menu);
    const index = items.indexOf(event.target);
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation(); // only the menu closes, not the panel
      setMenuOpen(w, false, true);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : items.length - 1;
      items[(index + step) % items.length].focus();
    }
  });
  menu.button.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !menu.list.hidden) {
      event.preventDefault();
      event.stopPropagation();
      setMenuOpen(w, false, true);
    }
  });
  w.ui.panel.addEventListener("focusout", (event) => {
    const next = event.relatedTarget;
    if (!menu.list.hidden && next && !menu.list.contains(next) && next !== menu.button) {
      setMenuOpen(w, false, false);
    }
  });
  w.ui.panel.addEventListener("click", (event) => {
    const target = event.composedPath()[0];
    if (!menu.list.hidden && !menu.list.contains(target) && !menu.button.contains(target)) {
      setMenuOpen(w, false, false);
    }
  });
}
