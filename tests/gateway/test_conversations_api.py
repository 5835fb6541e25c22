"""The public conversation API, against the real trained model and action server."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.gateway.app import create_app
from tests.helpers import free_port


def open_conversation(client: TestClient) -> str:
    response = client.post("/api/conversations")
    assert response.status_code == 201
    conversation_id: str = response.json()["id"]
    return conversation_id


def test_create_returns_unguessable_id_and_welcome(gateway: TestClient) -> None:
    first = gateway.post("/api/conversations")
    second = gateway.post("/api/conversations")
    assert first.status_code == 201
    body = first.json()
    assert len(body["id"]) >= 32 and body["id"] != second.json()["id"]
    texts = [m["text"] for m in body["messages"]]
    assert any("démarches" in t for t in texts)


def test_situation_message_starts_the_fiche_questionnaire(gateway: TestClient) -> None:
    conversation_id = open_conversation(gateway)
    response = gateway.post(
        f"/api/conversations/{conversation_id}/messages", json={"text": "je demenage le mois prochain"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == conversation_id
    joined = " ".join(m["text"] or "" for m in body["messages"])
    assert "Je vais vous aider pour les démarches de votre déménagement." in joined  # in the bot's voice
    buttons = [b["title"] for m in body["messages"] for b in m["buttons"]]
    assert buttons[:2] == ["Locataire", "Propriétaire"]


def test_transcript_keeps_both_sides_in_order(gateway: TestClient) -> None:
    conversation_id = open_conversation(gateway)
    gateway.post(f"/api/conversations/{conversation_id}/messages", json={"text": "bonjour"})
    gateway.post(f"/api/conversations/{conversation_id}/messages", json={"text": "merci beaucoup"})
    transcript = gateway.get(f"/api/conversations/{conversation_id}/messages").json()["messages"]
    roles = [m["role"] for m in transcript]
    user_texts = [m["text"] for m in transcript if m["role"] == "user"]
    assert user_texts == ["bonjour", "merci beaucoup"]
    assert roles[0] == "bot"  # the welcome
    first_user = roles.index("user")
    assert "bot" in roles[first_user + 1 :]
    assert all(m["status"] == "done" for m in transcript)
    stamps = [m["created_at"] for m in transcript]
    assert stamps == sorted(stamps)


def test_button_payload_is_accepted(gateway: TestClient) -> None:
    """A button the bot offered in this conversation (a payload it did not offer: 422, issue #27)."""
    conversation_id = open_conversation(gateway)
    url = f"/api/conversations/{conversation_id}/messages"
    assert gateway.post(url, json={"payload": "/greet"}).status_code == 422
    offered = gateway.post(url, json={"text": "je déménage le mois prochain"}).json()["messages"]
    payload = next(b["payload"] for m in offered for b in m["buttons"])
    response = gateway.post(url, json={"payload": payload})
    assert response.status_code == 200
    assert response.json()["messages"]


@pytest.mark.parametrize(
    "body",
    [
        {"text": ""},
        {"text": "   \n\t "},
        {"text": "x" * 2001},
        {"text": 42},
        {"text": ["bonjour"]},
        {},
        {"text": "a", "payload": "/greet"},
        {"text": "bonjour", "extra": 1},
        ["bonjour"],
    ],
)
def test_invalid_messages_are_422_with_json_error(gateway: TestClient, body: object) -> None:
    conversation_id = open_conversation(gateway)
    response = gateway.post(f"/api/conversations/{conversation_id}/messages", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and error["message"]
    transcript = gateway.get(f"/api/conversations/{conversation_id}/messages").json()["messages"]
    assert [m for m in transcript if m["role"] == "user"] == []


def test_malformed_json_is_422(gateway: TestClient) -> None:
    conversation_id = open_conversation(gateway)
    response = gateway.post(
        f"/api/conversations/{conversation_id}/messages",
        content=b'{"text": "bonjour"',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "error" in response.json()


def test_text_at_the_limit_is_accepted(gateway: TestClient) -> None:
    conversation_id = open_conversation(gateway)
    response = gateway.post(f"/api/conversations/{conversation_id}/messages", json={"text": "é" * 2000})
    assert response.status_code == 200


@pytest.mark.parametrize("conversation_id", ["doesnotexist0000000000000", "../../etc/passwd", "a" * 300])
def test_unknown_conversation_is_404(gateway: TestClient, conversation_id: str) -> None:
    post = gateway.post(f"/api/conversations/{conversation_id}/messages", json={"text": "bonjour"})
    get = gateway.get(f"/api/conversations/{conversation_id}/messages")
    assert post.status_code == 404 and get.status_code == 404
    assert post.json()["error"]["code"] == "not_found"


def test_openapi_documents_the_contract(gateway: TestClient) -> None:
    paths = gateway.get("/openapi.json").json()["paths"]
    assert {"/api/conversations", "/api/conversations/{id}/messages", "/healthz"} <= set(paths)
    assert gateway.get("/docs").status_code == 200


def test_the_documentation_pages_are_not_served_in_production(rasa_stack: Settings, tmp_path: Path) -> None:
    settings = rasa_stack.copy(
        update={
            "database_url": f"sqlite:///{tmp_path / 'gw.db'}",
            "app_env": "production",
            "db_auto_migrate": True,
        }
    )
    with TestClient(create_app(settings)) as client:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert client.get(path).status_code == 404, path


def test_message_is_kept_when_rasa_is_down_then_answered(rasa_stack: Settings, tmp_path: Path) -> None:
    """Stored before Rasa is asked: with Rasa unreachable the person is told, nothing is lost."""
    db = f"sqlite:///{tmp_path / 'gw.db'}"
    down = rasa_stack.copy(update={"database_url": db, "rasa_url": f"http://127.0.0.1:{free_port()}"})
    with TestClient(create_app(down)) as client:
        opened = client.post("/api/conversations")
        assert opened.status_code == 201
        welcome = [m["text"] for m in opened.json()["messages"]]
        assert len(welcome) == 2 and "enregistrés" in welcome[1]  # the privacy notice, Rasa or not
        conversation_id = opened.json()["id"]
        reply = client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "bonjour"})
        assert reply.status_code == 200
        assert [m["role"] for m in reply.json()["messages"]] == ["system"]
        assert "bien reçu" in reply.json()["messages"][0]["text"]
        transcript = client.get(f"/api/conversations/{conversation_id}/messages").json()["messages"]
        assert [(m["text"], m["status"]) for m in transcript if m["role"] == "user"] == [
            ("bonjour", "pending")
        ]
    up = rasa_stack.copy(update={"database_url": db})
    with TestClient(create_app(up)) as client:
        client.post(f"/api/conversations/{conversation_id}/messages", json={"text": "merci"})
        transcript = client.get(f"/api/conversations/{conversation_id}/messages").json()["messages"]
    users = [(m["text"], m["status"]) for m in transcript if m["role"] == "user"]
    assert users == [("bonjour", "done"), ("merci", "done")]
    bot_after = [
        m["role"] for m in transcript[transcript.index(next(m for m in transcript if m["text"] == "merci")) :]
    ]
    assert bot_after.count("bot") >= 2  # answers to both messages, in order
