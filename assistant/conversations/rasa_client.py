"""Client for the Rasa server's HTTP API (REST channel + protected API)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from typing import Any, Optional

import aiohttp

from assistant.conversations.models import Button, OutboundMessage

log = logging.getLogger(__name__)

HEALTH_TIMEOUT = aiohttp.ClientTimeout(total=3.0)
CONNECT_SECONDS = 2.0  # an instance that does not accept the connection sooner is taken as down
DOWN_SECONDS = 5.0  # an instance taken as down is tried last for that long


class RasaUnavailable(RuntimeError):
    """Rasa did not answer usefully (down, restarting, timing out or failing)."""


class TurnLost(RasaUnavailable):
    """Rasa answered, but the turn is incomplete: an action failed and its events were lost.

    `poison`: the action server and Rasa's stores (Redis) were healthy, so the message itself
    broke the turn."""

    def __init__(self, message: str, poison: bool = False) -> None:
        super().__init__(message)
        self.poison = poison


def parse_rasa_messages(raw: Any) -> list[OutboundMessage]:
    """Turn the REST channel's JSON list into channel-neutral messages."""
    if not isinstance(raw, list):
        raise RasaUnavailable("unexpected response from Rasa")
    out: list[OutboundMessage] = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        buttons = tuple(
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in item.get("buttons") or ()
            if isinstance(b, dict)
        )
        custom = item.get("custom") if isinstance(item.get("custom"), dict) else None
        text = item.get("text") if isinstance(item.get("text"), str) else None
        if text is None and not buttons and custom is None:
            continue
        out.append(OutboundMessage(text=text, buttons=buttons, custom=custom))
    return out


# Not connected, so nothing was sent: refused, or no connection within CONNECT_SECONDS (with no
# read timeout set, aiohttp raises ServerTimeoutError for the connection only).
NOT_CONNECTED = (aiohttp.ClientConnectorError, aiohttp.ServerTimeoutError)


class RasaClient:
    """Rasa's REST channel and protected API, over one or several Rasa instances.

    aiohttp rather than httpx on this path: a fifth of the CPU per request (about 0.2 ms against
    1 ms, measured on this machine), and the gateway sends every message through here. With several
    instances (RASA_WORKERS, or RASA_URL listing several), sharing their tracker and lock stores in
    Redis, each message goes to the instance with the fewest messages in flight. An instance that
    refuses the connection, or does not accept it within CONNECT_SECONDS (a host that is down),
    has not seen the message, which then goes to the next one; it is tried last for DOWN_SECONDS.
    """

    def __init__(
        self, base_urls: Sequence[str], token: str, timeout: float, session: aiohttp.ClientSession
    ) -> None:
        if not base_urls:
            raise ValueError("at least one Rasa URL")
        self.base_urls = list(base_urls)
        self.token = token
        # The token travels in a header, never in a URL (URLs end up in logs): assistant.rasa.auth
        # makes Rasa accept it there, for its API and its REST channel alike.
        self.headers = {"Authorization": f"Bearer {token}"}
        self.timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=CONNECT_SECONDS)
        self.session = session
        self._in_flight = [0] * len(self.base_urls)
        self._down_until = [0.0] * len(self.base_urls)
        self._health: dict[str, asyncio.Future[bool]] = {}  # the check in progress, by URL

    @property
    def base_url(self) -> str:
        return self.base_urls[0]

    def _order(self) -> list[int]:
        """Instances up first, then by messages in flight, the least busy first; on a tie, the
        first listed.

        Not in turn: at light load every message then goes to the same warm process, which
        answers about 3 ms sooner (measured) than two processes taking turns."""
        now = time.monotonic()
        return sorted(
            range(len(self.base_urls)), key=lambda i: (self._down_until[i] > now, self._in_flight[i])
        )

    def _not_connected(self, index: int) -> None:
        self._down_until[index] = time.monotonic() + DOWN_SECONDS

    async def send(
        self, sender: str, message: str, metadata: Optional[dict[str, Any]] = None
    ) -> list[OutboundMessage]:
        body = {"sender": sender, "message": message, "metadata": metadata or {}}
        status, raw = await self._call("POST", "/webhooks/rest/webhook", body=body)
        if status != 200:
            raise RasaUnavailable(f"Rasa answered {status}")
        try:
            return parse_rasa_messages(json.loads(raw))
        except ValueError as exc:
            raise RasaUnavailable("Rasa answered invalid JSON") from exc

    async def last_user_metadata(self, sender: str) -> Optional[dict[str, Any]]:
        """The metadata of the last user message still applied in Rasa's tracker (None: there is none)."""
        events = (await self._tracker(sender, "APPLIED")).get("events") or []
        for event in reversed(events):
            if isinstance(event, dict) and event.get("event") == "user":
                metadata = event.get("metadata")
                return metadata if isinstance(metadata, dict) else {}
        return None

    async def rewind(self, sender: str) -> None:
        """Undo the conversation's last turn in Rasa's tracker (back to before the last user message).

        `rewind` (UserUtteranceReverted) also takes back the `action_listen` before that message:
        an `action_listen` is appended again, else the next message would follow the bot's last
        utterance and the policies would not recognise the dialogue state (Rasa's own fallback
        ends its turns with `action_listen` after a rewind, for the same reason).
        """
        events = [{"event": "rewind"}, {"event": "action", "name": "action_listen"}]
        status, _ = await self._api(
            "POST", f"/conversations/{sender}/tracker/events", {"include_events": "NONE"}, events
        )
        if status != 200:
            raise RasaUnavailable(f"Rasa answered {status} to the rewind")

    async def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation's tracker state (slots, events) from Rasa's protected API."""
        return await self._tracker(sender, "NONE")

    async def _tracker(self, sender: str, include_events: str) -> dict[str, Any]:
        path, params = f"/conversations/{sender}/tracker", {"include_events": include_events}
        status, raw = await self._api("GET", path, params)
        if status != 200:
            raise RasaUnavailable(f"Rasa answered {status}")
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise RasaUnavailable("Rasa answered invalid JSON") from exc
        if not isinstance(data, dict):
            raise RasaUnavailable("unexpected tracker from Rasa")
        return data

    async def _api(
        self, method: str, path: str, params: dict[str, str], body: Any = None
    ) -> tuple[int, bytes]:
        """One call to the protected API (any instance serves it: they share Redis)."""
        return await self._call(method, path, params=params, body=body)

    async def _call(
        self, method: str, path: str, params: Optional[dict[str, str]] = None, body: Any = None
    ) -> tuple[int, bytes]:
        """(status, body) from the first instance, in `_order`, that accepts the connection."""
        refused: Optional[BaseException] = None
        for index in self._order():
            self._in_flight[index] += 1
            try:
                async with self.session.request(
                    method,
                    f"{self.base_urls[index]}{path}",
                    params=params,
                    json=body,
                    headers=self.headers,
                    timeout=self.timeout,
                ) as response:
                    answer = response.status, await response.read()
            except NOT_CONNECTED as exc:  # nothing was sent: the next instance
                refused = exc
                self._not_connected(index)
                continue
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                raise RasaUnavailable(f"Rasa unreachable: {type(exc).__name__}") from exc
            finally:
                self._in_flight[index] -= 1
            self._down_until[index] = 0.0
            return answer
        raise RasaUnavailable(f"Rasa unreachable: {type(refused).__name__}")

    async def model_loaded(self) -> bool:
        """Every instance answers with a loaded model."""
        results = await asyncio.gather(*(self._model_loaded(url) for url in self.base_urls))
        return all(results)

    async def _model_loaded(self, base_url: str) -> bool:
        try:
            async with self.session.get(
                f"{base_url}/status", headers=self.headers, timeout=HEALTH_TIMEOUT
            ) as response:
                return response.status == 200 and bool((await response.json()).get("model_file"))
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            return False

    async def actions_healthy(self, action_base_url: str) -> bool:
        """The action server answers its health check; concurrent callers share one check.

        The gateway asks while Rasa works on a message: a check already on its way when the
        message was sent answers for it too, so that under load each message does not add one.
        """
        check = self._health.get(action_base_url)
        if check is None or check.done():
            check = asyncio.ensure_future(action_server_healthy(self.session, action_base_url))
            self._health[action_base_url] = check
        return await asyncio.shield(check)


async def action_server_healthy(session: aiohttp.ClientSession, base_url: str) -> bool:
    try:
        async with session.get(f"{base_url}/health", timeout=HEALTH_TIMEOUT) as response:
            return response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False
