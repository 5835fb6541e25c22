/* A live stream of server-sent events (JSON data) that reconnects by itself, with a growing delay.
 *
 * The browser retries a dropped stream on its own; when it gives up (for example after an error
 * status), the stream calls `reconnect()` after 2 s, then 4 s, 8 s… up to 30 s, until it opens again.
 * `data-live` on the element `elementId` tells where it stands: "open", "reconnecting" or "closed".
 *
 * Events carry ids. The browser sends the last one (`Last-Event-ID`) when it reconnects by itself;
 * a stream opened again on the same URL passes it as `?last_event_id=`, so that the server sends
 * what was missed in between.
 */

const RECONNECT_MIN_MS = 2000;
const RECONNECT_MAX_MS = 30000;

/**
 * `{open(url), close()}`; `onOpen()` runs each time the stream (re)opens, `onMessage(data)` for each
 * event whose data is JSON, `onLost()` when the connection drops, and `reconnect()` when the
 * browser gave up (it usually opens the stream again).
 */
export function liveStream(elementId, handlers) {
  const { onOpen, onMessage, onLost, reconnect } = handlers;
  let source = null;
  let timer = null;
  let retry = RECONNECT_MIN_MS;
  let lastUrl = null;
  let lastId = "";

  function setLive(value) {
    document.getElementById(elementId).dataset.live = value;
  }

  function close() {
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (source) source.close();
    source = null;
    setLive("closed");
  }

  function open(url) {
    close();
    if (url !== lastUrl) lastId = "";
    lastUrl = url;
    const resume = lastId ? (url.includes("?") ? "&" : "?") + "last_event_id=" + encodeURIComponent(lastId) : "";
    const current = new EventSource(url + resume);
    source = current;
    current.onopen = () => {
      if (source !== current) return;
      retry = RECONNECT_MIN_MS;
      setLive("open");
      onOpen();
    };
    current.onmessage = (event) => {
      if (source === current && event.lastEventId) lastId = event.lastEventId;
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      onMessage(data);
    };
    current.onerror = () => {
      if (source !== current) return;
      setLive("reconnecting");
      onLost();
      if (current.readyState === EventSource.CLOSED) {
        // The browser gave up (for example after an error status): try again ourselves.
        current.close();
        timer = window.setTimeout(reconnect, retry);
        retry = Math.min(retry * 2, RECONNECT_MAX_MS);
      }
    };
  }

  return { open, close };
}
