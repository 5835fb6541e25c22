/* The widget's elements: a host element whose shadow root holds the launcher (with its unread
 * badge) and the panel (header with the options menu, status lines, conversation log, typing
 * indicator, form). Styles come from GATEWAY/widget.css, inside the shadow root; the host stays
 * hidden until they are there.
 */

import { appendLinkified, el, srOnly } from "./dom.js";

export const MAX_TEXT = 2000;

/** The elements of the widget configured by `config` (see config.js), not yet in the page. */
export function buildView(config) {
  const host = el("div");
  host.id = "demarches-widget";
  host.style.setProperty("--dw-primary", config.primary);
  host.style.setProperty("--dw-on-primary", config.onPrimary);
  host.style.setProperty("--dw-accent", config.accent);
  host.style.display = "none"; // until the stylesheet is there
  const root = host.attachShadow({ mode: "open" });
  const stylesheet = el("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = config.gateway + "/widget.css";
  function showHost() {
    host.style.display = "";
  }
  stylesheet.addEventListener("load", showHost);
  stylesheet.addEventListener("error", showHost);
  root.appendChild(stylesheet);

  const launcher = el("button", "dw-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "dw-panel");
  const launcherText = el("span", "dw-launcher-text", config.launcherText);
  const unreadBadge = el("span", "dw-unread");
  unreadBadge.setAttribute("aria-hidden", "true"); // the launcher's text says it
  unreadBadge.hidden = true;
  launcher.appendChild(launcherText);
  launcher.appendChild(unreadBadge);
  const unreadStatus = el("p", "dw-sr");
  unreadStatus.setAttribute("role", "status");

  const panel = el("section", "dw-panel");
  panel.id = "dw-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "false");
  panel.setAttribute("aria-labelledby", "dw-title");
  panel.hidden = true;

  const header = el("div", "dw-header");
  const heading = el("h2", "dw-title", config.title);
  heading.id = "dw-title";
  heading.tabIndex = -1;
  const closeButton = el("button", "dw-close", "×");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", "Fermer l'assistant");
  const menu = buildMenu();
  header.appendChild(heading);
  header.appendChild(menu.button);
  header.appendChild(closeButton);
  header.appendChild(menu.list); // under the header, over the log

  const status = el("p", "dw-status");
  status.setAttribute("role", "status");
  const errorBox = el("p", "dw-error");
  errorBox.setAttribute("role", "alert");

  const log = el("div", "dw-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-relevant", "additions");
  log.setAttribute("aria-label", "Conversation");
  log.tabIndex = 0;
  const welcomeNode = el("p", "dw-welcome");
  welcomeNode.appendChild(srOnly("Assistant : "));
  appendLinkified(welcomeNode, config.welcome);
  const list = el("ol", "dw-messages");
  log.appendChild(welcomeNode);
  log.appendChild(list);

  const typing = el("p", "dw-typing");
  typing.hidden = true;
  typing.appendChild(document.createTextNode("L'assistant écrit"));
  const dots = el("span", "dw-dots");
  dots.setAttribute("aria-hidden", "true");
  dots.appendChild(el("span", null, "."));
  dots.appendChild(el("span", null, "."));
  dots.appendChild(el("span", null, "."));
  typing.appendChild(dots);

  const form = el("form", "dw-form");
  form.noValidate = true;
  const label = el("label", "dw-sr", "Votre message");
  label.htmlFor = "dw-input";
  const input = el("textarea", "dw-input");
  input.id = "dw-input";
  input.rows = 1;
  input.maxLength = MAX_TEXT;
  input.placeholder = "Votre message";
  input.setAttribute("aria-describedby", "dw-hint");
  const hint = el("span", "dw-sr", "Entrée pour envoyer, Maj + Entrée pour aller à la ligne.");
  hint.id = "dw-hint";
  const send = el("button", "dw-send", "Envoyer");
  send.type = "submit";
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(hint);
  form.appendChild(send);

  panel.appendChild(header);
  panel.appendChild(status);
  panel.appendChild(errorBox);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);
  root.appendChild(unreadStatus);

  return {
    host, launcher, launcherText, unreadBadge, unreadStatus, panel, closeButton, status, errorBox, log, list,
    typing, form, input, menu, welcome: welcomeNode,
  };
}

function menuItem(tag, text) {
  const item = el(tag, "dw-menu-item", text);
  if (tag === "button") item.type = "button";
  return item;
}

/** The secondary actions: one button in the header opens them (a disclosure, see menu.js). */
function buildMenu() {
  const button = el("button", "dw-menu-button");
  button.type = "button";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "dw-menu");
  button.appendChild(el("span", null, "Options"));
  const chevron = el("span", "dw-chevron", "▾");
  chevron.setAttribute("aria-hidden", "true");
  button.appendChild(chevron);
  const list = el("div", "dw-menu");
  list.id = "dw-menu";
  list.setAttribute("role", "group");
  list.setAttribute("aria-label", "Options");
  list.hidden = true;
  const human = menuItem("button", "Parler à un conseiller");
  const phone = menuItem("button", "Continuer sur mon téléphone");
  phone.hidden = true; // until the gateway names an SMS number or a Telegram bot (phone.js)
  const plan = menuItem("a", "Mon plan à imprimer");
  plan.target = "_blank";
  plan.rel = "noopener noreferrer";
  plan.appendChild(srOnly(" (nouvelle fenêtre)"));
  plan.hidden = true; // until the conversation has a plan (messages.js)
  const agenda = menuItem("a", "Ajouter les dates à mon agenda");
  agenda.hidden = true; // until the plan has dates
  [human, phone, plan, agenda].forEach((item) => list.appendChild(item));
  return { button, list, human, phone, plan, agenda };
}
