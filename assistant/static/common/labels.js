/* French labels shared by the agent console and the feedback dashboard. */

export const CHANNEL_LABELS = { web: "site web", telegram: "Telegram", sms: "SMS" };

/** The label of `key` in `map`, or the key itself ("inconnu" when there is none). */
export function label(map, key) {
  return map[key] || String(key || "inconnu");
}
