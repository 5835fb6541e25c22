"""The two ways of talking to the bot: the gateway's conversation API, or Rasa's REST channel."""

from __future__ import annotations

import secrets
from typing import Any, Protocol

import httpx

from bench.conversation import Turn

START_MESSAGE = "/start_conversation"  # what the gateway sends Rasa when a conversation opens


class Delayed(Exception):
    """The gateway answered with its "the answer will come" system message: Rasa did not answer."""


class Target(Protocol):
    name: str

    async def open(self, client: httpx.AsyncClient) -> tuple[str, list[dict[str, Any]]]: ...

    async def send(
        self, client: httpx.AsyncClient, conversation: str, turn: Turn
    ) -> list[dict[str, Any]]: ...


def _delayed_text() -> str:
    from assistant import texts

    return texts.text("delayed_answer")


class GatewayTarget:
    """`POST /api/conversations`, then `POST /api/conversations/{id}/messages`."""

    def __init__(self, base_url: str, name: str = "ours") -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.delayed = _delayed_text()

    def _messages(self, response: httpx.Response) -> list[dict[str, Any]]:
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()["messages"]
        if any(m.get("role") == "system" and m.get("text") == self.delayed for m in messages):
            raise Delayed()
        return messages

    async def open(self, client: httpx.AsyncClient) -> tuple[str, list[dict[str, Any]]]:
        response = await client.post(f"{self.base_url}/api/conversations")
        messages = self._messages(response)
        return str(response.json()["id"]), messages

    async def send(self, client: httpx.AsyncClient, conversation: str, turn: Turn) -> list[dict[str, Any]]:
        body = {"text": turn.text} if turn.text is not None else {"payload": turn.payload}
        url = f"{self.base_url}/api/conversations/{conversation}/messages"
        return self._messages(await client.post(url, json=body))


class RasaRestTarget:
    """Rasa's REST channel, a random sender per conversation, opened like the gateway opens one."""

    def __init__(self, base_url: str, name: str = "baseline") -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")

    async def _post(self, client: httpx.AsyncClient, sender: str, message: str) -> list[dict[str, Any]]:
        response = await client.post(
            f"{self.base_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}
        )
        response.raise_for_status()
        replies: list[dict[str, Any]] = response.json()
        return replies

    async def open(self, client: httpx.AsyncClient) -> tuple[str, list[dict[str, Any]]]:
        sender = secrets.token_urlsafe(16)
        return sender, await self._post(client, sender, START_MESSAGE)

    async def send(self, client: httpx.AsyncClient, conversation: str, turn: Turn) -> list[dict[str, Any]]:
        return await self._post(client, conversation, turn.body)
