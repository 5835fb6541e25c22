/* The widget's DOM helpers: elements built from text, and text whose URLs become links. */

const URL_RE = /https?:\/\/[^\s<>"'«»]+/g;

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** Text for screen readers only. */
export function srOnly(text) {
  return el("span", "dw-sr", text);
}

function safeHref(raw) {
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch (e) {
    return null;
  }
}

/** Text with its http(s) URLs as links; everything through text nodes. */
export function appendLinkified(parent, text) {
  let last = 0;
  let match;
  URL_RE.lastIndex = 0;
  while ((match = URL_RE.exec(text)) !== null) {
    const url = match[0].replace(/[.,;:!?)\]]+$/, "");
    const href = safeHref(url);
    if (!href) continue;
    if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
    const a = el("a", null, url);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.appendChild(srOnly(" (nouvelle fenêtre)"));
    parent.appendChild(a);
    last = match.index + url.length;
    URL_RE.lastIndex = last;
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
}
