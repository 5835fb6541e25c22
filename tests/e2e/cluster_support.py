"""What the multi-instance tests share: the cluster, how it starts, and talking to its gateways."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from assistant.config import Settings
from assistant.ops.stack import action_server_spec, rasa_spec
from assistant.ops.supervisor import Stack
from tests.conftest import start_specs
from tests.e2e.conftest import PASSWORD

# Ten messages whose answers can be told apart (training examples, so the intents are sure).
BURST = [
    ("c'est quoi un préavis ?", "préavis"),
    ("que veut dire APL ?", "apl"),
    ("bonjour", "je vous écoute"),  # greeted once already: no second greeting
    ("ça veut dire quoi RSA", "rsa"),
    ("qu'est-ce que le quotient familial ?", "quotient familial"),
    ("merci", "avec plaisir"),
    ("définition de usufruit", "usufruit"),
    ("c'est quoi la CAF", "caf"),
    ("tu es un robot ?", "assistant automatique"),
    ("qu'est ce qu'un acte de notoriété", "acte de notoriété"),
]


@dataclass
class Cluster:
    rasa: Settings  # Rasa 1 (and what both share: token, Redis, database)
    stack: Stack
    urls: list[str]  # gateway A, gateway B
    rasa_urls: list[str]  # Rasa 1, Rasa 2

    @property
    def rasa_headers(self) -> dict[str, str]:
        """Rasa's token as the gateway sends it (assistant/conversations/rasa_client.py): its API
        and its REST channel both require it (assistant/rasa/auth.py)."""
        return {"Authorization": f"Bearer {self.rasa.rasa_token}"}

    def tracker(self, conversation: str) -> dict[str, Any]:
        response = httpx.get(
            f"{self.rasa.rasa_base_url}/conversations/{conversation}/tracker",
            headers=self.rasa_headers,
            timeout=30,
        )
        response.raise_for_status()
        tracker: dict[str, Any] = response.json()
        return tracker


def start_stack(settings: Settings, second: Settings, model: Path, log: Path) -> Stack:
    """The action server and two Rasa instances (slower to load than one on a busy machine)."""
    specs = [action_server_spec(settings), rasa_spec(settings, model), rasa_spec(second, model)]
    return start_specs(specs, log, timeout=600)


async def new_conversation(client: httpx.AsyncClient) -> str:
    response = await client.post("/api/conversations")
    assert response.status_code == 201, response.text
    conversation: str = response.json()["id"]
    return conversation


async def send(client: httpx.AsyncClient, conversation: str, text: str) -> list[dict[str, Any]]:
    response = await client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


async def transcript(client: httpx.AsyncClient, conversation: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/conversations/{conversation}/messages")
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def user_texts(tracker: dict[str, Any]) -> list[str]:
    return [
        e["text"]
        for e in tracker["events"]
        if e["event"] == "user" and e.get("text") != "/start_conversation"
    ]


async def token(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def frames_until(ws: Any, predicate: Any, timeout: float = 30) -> list[dict[str, Any]]:
    frames: list[dict[str, Any]] = []
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        frames.append(frame)
        if predicate(frame):
            return frames
