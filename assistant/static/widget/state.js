/* The widget's state; the conversation survives a reload (sessionStorage, memory when blocked). */

export const ASK_HUMAN = "/ask_human";

/** `{state, save}` for the widget of `gateway`, with what this tab saved before. */
export function createState(gateway) {
  const storageKey = "demarches-widget:" + gateway;
  let memoryStore = null;

  function load() {
    try {
      const raw = window.sessionStorage.getItem(storageKey);
      const data = raw ? JSON.parse(raw) : null;
      if (data && typeof data === "object") return data;
    } catch (e) {
      if (memoryStore) return memoryStore;
    }
    return memoryStore || {};
  }

  const saved = load();
  const state = {
    id: typeof saved.id === "string" ? saved.id : null,
    open: saved.open === true,
    seenId: typeof saved.seenId === "number" ? saved.seenId : 0, // the last message shown open
    unread: 0,
    outbox: Array.isArray(saved.outbox) ? saved.outbox : [],
    lastId: 0,
    socket: null,
    attempts: 0,
    timer: null,
    creating: false,
    typingTimer: null,
    payloadTitles: {},
  };
  state.payloadTitles[ASK_HUMAN] = "Parler à un conseiller";

  function save() {
    const data = { id: state.id, open: state.open, outbox: state.outbox, seenId: state.seenId };
    memoryStore = data;
    try {
      window.sessionStorage.setItem(storageKey, JSON.stringify(data));
    } catch (e) {
      /* storage blocked: the memory copy is enough for this page */
    }
  }

  return { state, save };
}
