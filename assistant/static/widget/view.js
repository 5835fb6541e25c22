/* The widget's elements: a host element whose shadow root holds the launcher and the panel
 * (header, status lines, conversation log, typing indicator, form, actions). Styles come from
 * GATEWAY/widget.css, inside the shadow root; the host stays hidden until they are there.
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

  const launcher = el("button", "dw-launcher", config.launcherText);
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "dw-panel");

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
  header.appendChild(heading);
  header.appendChild(closeButton);

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

  const actions = el("div", "dw-actions");
  const human = el("button", "dw-human", "Parler à un conseiller");
  human.type = "button";
  actions.appendChild(human);
  const phone = el("button", "dw-human dw-phone", "Continuer sur mon téléphone");
  phone.type = "button";
  actions.appendChild(phone);
  const codeNote = el("p", "dw-code");
  codeNote.setAttribute("role", "status");
  codeNote.hidden = true;
  actions.appendChild(codeNote);

  panel.appendChild(header);
  panel.appendChild(status);
  panel.appendChild(errorBox);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  panel.appendChild(actions);
  root.appendChild(panel);
  root.appendChild(launcher);

  return { host, launcher, panel, closeButton, status, errorBox, log, list, typing, form, input, human, phone, codeNote };
}
