"""Client for the Rasa server's HTTP API (REST channel + protected API)."""

from __future__ import annotations

import logging
from typing import Any, Optional

import httpx

from assistant.conversations.models import Button, OutboundMessage

log = logging.getLogger(__name__)


class RasaUnavailable(RuntimeError):
    """Rasa did not answer usefully (down, restarting, timing out or failing)."""


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


class RasaClient:
    def __init__(self, base_url: str, token: str, timeout: float, client: httpx.AsyncClient) -> None:
        self.base_url = base_url
        self.token = token
        self.timeout = timeout
        self.http = client

    async def send(
        self, sender: str, message: str, metadata: Optional[dict[str, Any]] = None
    ) -> list[OutboundMessage]:
        body = {"sender": sender, "message": message, "metadata": metadata or {}}
        try:
            response = await self.http.post(
                f"{self.base_url}/webhooks/rest/webhook", json=body, timeout=self.timeout
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"Rasa unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered {response.status_code}")
        try:
            return parse_rasa_messages(response.json())
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
        try:
            response = await self.http.post(
                f"{self.base_url}/conversations/{sender}/tracker/events",
                params={"token": self.token, "include_events": "NONE"},
                json=[{"event": "rewind"}, {"event": "action", "name": "action_listen"}],
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"Rasa unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered {response.status_code} to the rewind")

    async def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation's tracker state (slots, events) from Rasa's protected API."""
        return await self._tracker(sender, "NONE")

    async def _tracker(self, sender: str, include_events: str) -> dict[str, Any]:
        try:
            response = await self.http.get(
                f"{self.base_url}/conversations/{sender}/tracker",
                params={"token": self.token, "include_events": include_events},
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"Rasa unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered {response.status_code}")
        try:
            data = response.json()
        except ValueError as exc:
            raise RasaUnavailable("Rasa answered invalid JSON") from exc
        if not isinstance(data, dict):
            raise RasaUnavailable("unexpected tracker from Rasa")
        return data

    async def model_loaded(self) -> bool:
        try:
            response = await self.http.get(
                f"{self.base_url}/status", params={"token": self.token}, timeout=3.0
            )
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False


async def action_server_healthy(client: httpx.AsyncClient, base_url: str) -> bool:
    try:
        response = await client.get(f"{base_url}/health", timeout=3.0)
        return response.status_code == 200
    except httpx.HTTPError:
        return False
