/*
 * The web widget of the démarches assistant. One tag embeds it on any site:
 *   <script src="https://GATEWAY/widget.js" data-gateway="https://GATEWAY" data-color="#000091"
 *           data-welcome="Bonjour !" defer></script>
 * Everything lives in a shadow root (styles from GATEWAY/widget.css); message data only ever
 * goes into the page through textContent, never as HTML.
 *
 * This file is only the loader: a classic script, so that the one-tag contract above keeps working
 * on any site, with or without `type="module"`, `defer` or `async`. It reads the tag's data-
 * attributes (`document.currentScript` only exists while a classic script runs), then imports the
 * widget's ES modules from the gateway (GATEWAY/widget/static/main.js and the modules it imports).
 * A dynamic `import()` from another origin fetches in CORS mode without credentials: the gateway
 * serves those modules with `Access-Control-Allow-Origin: *` (public files, no cookie involved),
 * and all widget files carry `Cross-Origin-Resource-Policy: cross-origin`. A site with a Content
 * Security Policy allows the widget by GATEWAY's origin in `script-src` (not only the path
 * /widget.js): the modules come from that origin too. Bundling the modules into this file instead
 * would need a build step, which the project avoids.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__demarchesWidget) return;
  window.__demarchesWidget = true;

  function gatewayUrl() {
    var raw = script.getAttribute("data-gateway") || script.src;
    try {
      var url = new URL(raw, document.baseURI);
      if (url.protocol !== "http:" && url.protocol !== "https:") return null;
      return url.origin;
    } catch (e) {
      return null;
    }
  }
  var gateway = gatewayUrl();
  if (!gateway) return;

  var options = {
    gateway: gateway,
    color: script.getAttribute("data-color"),
    welcome: script.getAttribute("data-welcome"),
    title: script.getAttribute("data-title"),
    button: script.getAttribute("data-button"),
  };
  import(gateway + "/widget/static/main.js").then(
    function (widget) {
      widget.start(options);
    },
    function () {
      /* the gateway cannot be reached: the page stays as it is, as when this script cannot load */
    }
  );
})();
