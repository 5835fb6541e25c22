/* Dates from the API (ISO 8601, UTC when no offset is given) as French text. */

export function parseDate(value) {
  if (!value) return null;
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : value + "Z";
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "14:05". */
export function clock(value) {
  const date = parseDate(value);
  return date ? date.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" }) : "";
}

/** "lundi 26 janvier 2026", also for a plain day ("2026-01-26"). */
export function frenchDate(value) {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value || "") ? new Date(value + "T12:00:00") : parseDate(value);
  return date
    ? date.toLocaleDateString("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric" })
    : String(value || "");
}

/** "26/01/2026". */
export function shortDate(value) {
  const date = parseDate(value);
  return date
    ? date.toLocaleDateString("fr-FR", { day: "2-digit", month: "2-digit", year: "numeric" })
    : String(value || "");
}

/** "lundi 26 janvier 2026 à 14:05". */
export function longDate(value) {
  const date = parseDate(value);
  if (!date) return String(value || "");
  return (
    date.toLocaleDateString("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric" }) +
    " à " +
    date.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" })
  );
}

/** The time since `since`: "moins d'une minute", "12 min", "1 h 05". */
export function duration(since) {
  const start = parseDate(since);
  if (!start) return "";
  const minutes = Math.max(0, Math.floor((Date.now() - start.getTime()) / 60000));
  if (minutes < 1) return "moins d'une minute";
  if (minutes < 60) return minutes + " min";
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return hours + " h " + String(rest).padStart(2, "0");
}

/** "2026-W05" -> "semaine 5 de 2026 (du lundi 26 janvier 2026)" (long) or "Sem. du 26 janv. 2026". */
export function weekLabel(key, long) {
  const match = /^(\d{4})-W(\d{2})$/.exec(key || "");
  if (!match) return String(key || "");
  const year = Number(match[1]);
  const week = Number(match[2]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86400000);
  monday.setUTCDate(monday.getUTCDate() + (week - 1) * 7);
  const day = monday.toLocaleDateString("fr-FR", {
    day: "numeric",
    month: long ? "long" : "short",
    year: "numeric",
    timeZone: "UTC",
  });
  return long ? "semaine " + week + " de " + year + " (du lundi " + day + ")" : "Sem. du " + day;
}

/**
 * A French day typed as "jj/mm/aaaa" (or "j/m/aaaa", with "/", "." or "-") as "aaaa-mm-jj", the
 * same whatever the browser's language; "" for an empty text, null for a day that does not exist.
 */
export function parseFrenchDay(text) {
  const value = String(text || "").trim();
  if (!value) return "";
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const exists = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!exists) return null;
  return String(year).padStart(4, "0") + "-" + String(month).padStart(2, "0") + "-" + String(day).padStart(2, "0");
}
