/* The widget's settings from the tag's data- attributes: colours, welcome text, title, button. */

const DEFAULT_COLOR = "#000091";

function parseColor(value) {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value || "").trim());
  if (!m) return null;
  const hex = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
  return "#" + hex.toLowerCase();
}

function luminance(hex) {
  const channels = [1, 3, 5].map((i) => {
    const c = parseInt(hex.substr(i, 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

function contrast(a, b) {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The settings from what the loader read on the tag ({gateway, color, welcome, title, button}). */
export function configure(options) {
  const primary = parseColor(options.color) || DEFAULT_COLOR;
  return {
    gateway: options.gateway,
    primary,
    // Text on the colour: white or near-black, whichever reads better (one of them is >= 4.5:1).
    onPrimary: contrast(primary, "#ffffff") >= contrast(primary, "#161616") ? "#ffffff" : "#161616",
    // The colour as text on white (links, outlined buttons) only where it reaches 4.5:1.
    accent: contrast(primary, "#ffffff") >= 4.5 ? primary : DEFAULT_COLOR,
    welcome:
      (options.welcome || "").trim() || "Bonjour ! Décrivez votre situation et je vous indique les démarches à faire.",
    title: (options.title || "").trim() || "Assistant démarches",
    launcherText: (options.button || "").trim() || "Une question sur vos démarches ?",
  };
}
