"""Issue #27, finding 2: commands ("/...") are accepted only when the bot offered them as buttons
in this conversation, or when they are documented public payloads; the rest never reaches Rasa."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.gateway.app import create_app
from tests.conftest import make_settings
from tests.fake_rasa import OFFERED, FakeRasa


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    server = FakeRasa()
    yield server
    server.close()


@pytest.fixture
def client(tmp_path: Path, fake_rasa: FakeRasa) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, rasa_url=fake_rasa.url, action_server_url=fake_rasa.url)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _post(client: TestClient, conversation: str, body: dict[str, str]) -> tuple[int, dict[str, object]]:
    response = client.post(f"/api/conversations/{conversation}/messages", json=body)
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "body",
    [
        {"payload": "/restart"},
        {"payload": "/session_start"},
        {"payload": "/back"},
        {"payload": "/action_restart"},
        {"payload": "/start_conversation"},
        {"payload": "/handoff_ended"},
        {"payload": '/answer{"choice_id":"x","situations":["F1"]}'},  # not the public form
        {"payload": '/choose_category{"category":"autre"}'},  # a button that was not offered
        {"text": "/restart"},  # typed: Rasa reads it as the intent too
        {"text": "  /session_start"},
    ],
)
def test_internal_commands_are_refused(client: TestClient, fake_rasa: FakeRasa, body: dict[str, str]) -> None:
    conversation = client.post("/api/conversations").json()["id"]
    status, error = _post(client, conversation, body)
    assert status == 422, error
    assert "Ce choix n'est pas disponible" in str(error["error"])  # type: ignore[index]
    assert fake_rasa.messages() == ["/start_conversation"]  # nothing reached Rasa
    users = [
        m
        for m in client.get(f"/api/conversations/{conversation}/messages").json()["messages"]
        if m["role"] == "user"
    ]
    assert users == []  # and nothing was stored


@pytest.mark.parametrize(
    "body",
    [
        {"payload": OFFERED},  # the button of the welcome
        {"payload": "/ask_human"},  # public: the widget's own button
        {"payload": '/answer{"choice_id":"F14128-q3-c1"}'},  # public: an answer button
        {"text": "je déménage / je change d'adresse"},  # not a command
        {"payload": "une phrase comme bouton"},  # not a command either
    ],
)
def test_offered_and_public_payloads_go_through(
    client: TestClient, fake_rasa: FakeRasa, body: dict[str, str]
) -> None:
    conversation = client.post("/api/conversations").json()["id"]
    status, answer = _post(client, conversation, body)
    assert status == 200, answer
    assert fake_rasa.messages()[-1] == (body.get("payload") or body.get("text"))


def test_an_unknown_conversation_is_still_a_404(client: TestClient) -> None:
    status, error = _post(client, "x" * 32, {"payload": "/restart"})
    assert status == 404, error


def test_other_channels_store_the_refusal_and_tell_the_person(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    """Telegram, SMS and the widget's socket go through the service: no 422 there, a French notice."""
    conversation = client.post("/api/conversations").json()["id"]
    service = client.app.state.services.conversations  # type: ignore[attr-defined]
    answer = client.portal.call(service.handle_inbound, conversation, "/restart", None)  # type: ignore[union-attr]
    assert [(m.role, m.text) for m in answer] == [("system", answer[0].text)]
    assert "Ce choix n'est pas disponible" in (answer[0].text or "")
    transcript = client.get(f"/api/conversations/{conversation}/messages").json()["messages"]
    assert [(m["role"], m["text"], m["status"]) for m in transcript if m["role"] == "user"] == [
        ("user", "/restart", "refused")
    ]
    assert fake_rasa.messages() == ["/start_conversation"]
    # the conversation goes on
    status, _ = _post(client, conversation, {"text": "bonjour"})
    assert status == 200 and fake_rasa.messages()[-1] == "bonjour"
