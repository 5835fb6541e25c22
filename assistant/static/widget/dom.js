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

function link(text, href) {
  const a = el("a", null, text);
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  a.appendChild(srOnly(" (nouvelle fenêtre)"));
  return a;
}

/** Text with its bare http(s) URLs as links; everything through text nodes. */
function appendBareLinks(parent, text) {
  let last = 0;
  let match;
  URL_RE.lastIndex = 0;
  while ((match = URL_RE.exec(text)) !== null) {
    const url = match[0].replace(/[.,;:!?)\]]+$/, "");
    const href = safeHref(url);
    if (!href) continue;
    if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
    parent.appendChild(link(url, href));
    last = match.index + url.length;
    URL_RE.lastIndex = last;
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
}

// The messages give a link's title on its own line ("1. Déclaration de décès" then the address)
// or before a colon ("Votre plan à imprimer : https://…"): the title becomes the link's text.
const URL_PART = "(https?:\\/\\/[^\\s<>\"'«»]+)";
const TITLED = new RegExp("^([ \\t]*(?:\\d+\\.[ \\t]+|[-•][ \\t]+)?)([^\\n]*[^\\s:])[ \\t]*\\n[ \\t]*" + URL_PART + "[ \\t]*$", "gm");
const LABELLED = new RegExp("^([ \\t]*(?:[-•][ \\t]+)?)([^\\n]*[^\\s:])[ \\t]*:[ \\t]*" + URL_PART + "[ \\t]*$", "gm");

function titledLinks(text) {
  const found = [];
  for (const re of [TITLED, LABELLED]) {
    re.lastIndex = 0;
    let match;
    while ((match = re.exec(text)) !== null) {
      const [whole, prefix, title, url] = match;
      const href = safeHref(url);
      const overlaps = found.some((f) => match.index < f.end && f.start < match.index + whole.length);
      if (href && !/https?:\/\//.test(title) && !overlaps) {
        found.push({ start: match.index, end: match.index + whole.length, prefix, title, href });
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Text with its URLs as links, titled where the message gives a title; all through text nodes. */
export function appendLinkified(parent, text) {
  let last = 0;
  for (const found of titledLinks(text)) {
    appendBareLinks(parent, text.slice(last, found.start) + found.prefix);
    parent.appendChild(link(found.title, found.href));
    last = found.end;
  }
  appendBareLinks(parent, text.slice(last));
}
