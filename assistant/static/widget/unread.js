/* Messages that arrive while the panel is closed (an agent's reply, a late answer): the launcher
 * shows their count and says "1 nouveau message"; opening the panel clears it. What was seen
 * survives a reload (state.seenId), so that the replayed transcript is not counted again.
 */

function launcherLabel(count) {
  return count === 1 ? "1 nouveau message" : count + " nouveaux messages";
}

function show(w) {
  const { ui, state, config } = w;
  const count = state.unread;
  ui.launcherText.textContent = count ? launcherLabel(count) : config.launcherText;
  ui.unreadBadge.textContent = count ? String(count) : "";
  ui.unreadBadge.hidden = !count;
  ui.unreadStatus.textContent = count ? launcherLabel(count) + " de l'assistant démarches" : "";
  ui.host.setAttribute("data-unread", String(count));
}

/** A message from the server (not the person's own) has just been shown in the log. */
export function noteArrival(w, message) {
  const state = w.state;
  if (message.id <= state.seenId) return;
  if (state.open) {
    state.seenId = message.id;
    w.save();
    return;
  }
  state.unread += 1;
  show(w);
}

/** The panel is open: everything in the log has been seen. */
export function markSeen(w) {
  const state = w.state;
  if (state.lastId > state.seenId) {
    state.seenId = state.lastId;
    w.save();
  }
  if (state.unread) {
    state.unread = 0;
    show(w);
  }
}
