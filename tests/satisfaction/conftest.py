"""The gateway with a scripted Rasa: each typed message gets the replies the test wrote for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.gateway.app import create_app
from tests.channels.fakes import Call, FakeServer
from tests.conftest import make_settings

END = {"custom": {"type": "signal", "signal": "end"}}
MISUNDERSTOOD = {"custom": {"type": "signal", "signal": "misunderstood"}}


def plan(*situations: str) -> dict[str, Any]:
    return {"custom": {"type": "plan", "situations": [{"id": s, "title": s, "url": ""} for s in situations],
                       "items": [], "page_items": [], "urgent": [], "total": 0, "page": 1, "pages": 1,
                       "page_size": 5, "event_date": None}}  # fmt: skip


FICHES = {"custom": {"type": "fiches", "query": "carte", "in_situation": False, "results": [
    {"fiche_id": "F1341", "title": "Carte d'identité", "explanation": "Refaire sa carte", "cerfa": [],
     "kind": "fiche", "url": "https://www.service-public.fr/particuliers/vosdroits/F1341"}]}}  # fmt: skip


class ScriptedRasa(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.replies: dict[str, list[dict[str, Any]]] = {
            "/start_conversation": [{"text": "Bonjour."}],
            "merci": [{"text": "Avec plaisir."}, END],
            "au revoir": [{"text": "Au revoir."}, END],
            "je déménage": [{"text": "Voici votre plan."}, plan("F14128")],
            "mon père est décédé": [{"text": "Je suis désolé."}, plan("F16507")],
            "carte d'identité perdue": [FICHES],
        }

    def handle(self, path: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        if path.startswith("/webhooks/rest/webhook"):
            self.record(Call("message", params, headers))
            message = str(params.get("message"))
            default = [{"text": "Je n'ai pas bien compris."}, MISUNDERSTOOD]
            return 200, [
                {"recipient_id": params.get("sender"), **r} for r in self.replies.get(message, default)
            ]
        if path.startswith("/status"):
            return 200, {"model_file": "model.tar.gz"}
        if path.startswith("/health"):
            return 200, {"status": "ok"}
        if path.startswith("/conversations/"):
            return 200, {"events": [], "slots": {}}
        return 404, {}

    def messages(self) -> list[str]:
        return [str(c.params.get("message")) for c in self.named("message")]


@pytest.fixture
def rasa() -> Iterator[ScriptedRasa]:
    server = ScriptedRasa()
    yield server
    server.close()


@pytest.fixture
def client(tmp_path: Path, rasa: ScriptedRasa) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, rasa_url=rasa.url, action_server_url=rasa.url)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


class Chat:
    """One web conversation through the REST API."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.id = client.post("/api/conversations").json()["id"]

    def send(self, text: str | None = None, payload: str | None = None) -> list[dict[str, Any]]:
        body = {"text": text} if text is not None else {"payload": payload}
        response = self.client.post(f"/api/conversations/{self.id}/messages", json=body)
        assert response.status_code == 200, response.text
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages


@pytest.fixture
def chat(client: TestClient) -> Chat:
    return Chat(client)
