"""The whole handoff: trigger, packet, queue, atomic claim, silence of the bot, reply, hand back."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import add_agent


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def talk(client: TestClient, conversation: str, text: str) -> list[dict[str, Any]]:
    response = client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def test_explicit_request_to_closing_and_back_to_the_bot(gateway: TestClient) -> None:
    alice, bruno = add_agent(gateway, "alice"), add_agent(gateway, "bruno")
    conversation = gateway.post("/api/conversations").json()["id"]
    talk(gateway, conversation, "je déménage, je suis locataire")
    replies = talk(gateway, conversation, "je veux parler à un conseiller")
    text = " ".join(m["text"] or "" for m in replies)
    assert "conseiller" in text and "file d'attente" in text and "pas à le répéter" in text

    waiting = gateway.get("/api/handoffs?status=waiting", headers=auth(alice)).json()["handoffs"]
    mine = [h for h in waiting if h["conversation_id"] == conversation]
    assert len(mine) == 1 and mine[0]["reason"] == "explicit_request"
    handoff_id = mine[0]["id"]
    detail = gateway.get(f"/api/handoffs/{handoff_id}", headers=auth(alice)).json()
    packet = detail["packet"]
    assert packet["conversation_id"] == conversation and packet["channel"] == "web"
    assert packet["situations"] == [{"id": "F14128", "title": "Je déménage"}]
    assert packet["answers"][0]["answer"] == "Vous êtes locataire"
    assert packet["open_questions"] and 2 <= len(packet["summary"].splitlines()) <= 4
    assert [t["text"] for t in packet["transcript"] if t["role"] == "user"] == [
        "je déménage, je suis locataire",
        "je veux parler à un conseiller",
    ]

    assert gateway.post(f"/api/handoffs/{handoff_id}/claim", headers=auth(alice)).status_code == 200
    second = gateway.post(f"/api/handoffs/{handoff_id}/claim", headers=auth(bruno))
    assert second.status_code == 409 and second.json()["error"]["code"] == "conflict"

    assert talk(gateway, conversation, "allô ? il y a quelqu'un ?") == []  # the bot stays silent
    sent = gateway.post(
        f"/api/handoffs/{handoff_id}/messages", json={"text": "Bonjour, je suis là."}, headers=auth(alice)
    )
    assert sent.status_code == 201
    assert (
        gateway.post(
            f"/api/handoffs/{handoff_id}/messages", json={"text": "moi aussi"}, headers=auth(bruno)
        ).status_code
        == 409
    )
    note = gateway.post(
        f"/api/handoffs/{handoff_id}/notes", json={"text": "Rappeler lundi"}, headers=auth(alice)
    )
    assert note.status_code == 201
    transcript = gateway.get(f"/api/conversations/{conversation}/messages").json()["messages"]
    assert transcript[-2]["role"] == "user" and transcript[-2]["status"] == "agent"
    assert (transcript[-1]["role"], transcript[-1]["text"]) == ("agent", "Bonjour, je suis là.")
    assert "Rappeler lundi" not in str(transcript)

    context = gateway.get(f"/api/conversations/{conversation}/context", headers=auth(bruno)).json()
    assert context["handoff"]["status"] == "active" and context["situation"]["id"] == "F14128"
    assert context["transcript"][-1]["role"] == "agent"

    closed = gateway.post(
        f"/api/handoffs/{handoff_id}/close",
        json={"outcome": "resolved", "back_to_bot": True},
        headers=auth(alice),
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    transcript = gateway.get(f"/api/conversations/{conversation}/messages").json()["messages"]
    assert transcript[-2]["role"] == "bot" and "reprend" in transcript[-2]["text"]
    # Handed back by an agent: the satisfaction question comes last, with its buttons.
    assert transcript[-1]["role"] == "bot" and transcript[-1]["buttons"][0]["payload"] == "csat:1"
    assert talk(gateway, conversation, "merci")  # the bot answers again


def test_transfer_to_another_agent(gateway: TestClient) -> None:
    alice, bruno = add_agent(gateway, "carla"), add_agent(gateway, "didier")
    conversation = gateway.post("/api/conversations").json()["id"]
    talk(gateway, conversation, "un humain svp")
    handoff_id = gateway.get("/api/conversations/" + conversation + "/context", headers=auth(alice)).json()[
        "handoff"
    ]["id"]
    gateway.post(f"/api/handoffs/{handoff_id}/claim", headers=auth(alice))
    agents = gateway.get("/api/agents", headers=auth(alice)).json()["agents"]
    didier = next(a for a in agents if a["username"] == "didier")
    moved = gateway.post(
        f"/api/handoffs/{handoff_id}/transfer", json={"agent_id": didier["id"]}, headers=auth(alice)
    )
    assert moved.status_code == 200 and moved.json()["agent_name"] == "didier"
    assert (
        gateway.post(
            f"/api/handoffs/{handoff_id}/messages", json={"text": "x"}, headers=auth(alice)
        ).status_code
        == 409
    )
    assert (
        gateway.post(
            f"/api/handoffs/{handoff_id}/messages", json={"text": "Bonjour"}, headers=auth(bruno)
        ).status_code
        == 201
    )
    closed = gateway.post(
        f"/api/handoffs/{handoff_id}/close", json={"outcome": "abusive"}, headers=auth(bruno)
    )
    assert closed.json()["outcome"] == "abusive"


def test_auth_is_required(gateway: TestClient) -> None:
    for method, path in [
        ("get", "/api/handoffs"),
        ("post", "/api/handoffs/Hx/claim"),
        ("get", "/api/agents"),
        ("get", "/api/conversations/" + "a" * 32 + "/context"),
    ]:
        response = getattr(gateway, method)(path)
        assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    bad = gateway.get("/api/handoffs", headers=auth("forged-token"))
    assert bad.status_code == 401
    wrong = gateway.post("/api/auth/token", data={"username": "nobody", "password": "nothing-at-all"})
    assert wrong.status_code == 401 and "access_token" not in wrong.text


def test_invalid_agent_input(gateway: TestClient) -> None:
    token = add_agent(gateway, "emile")
    assert gateway.get("/api/handoffs?status=lost", headers=auth(token)).status_code == 422
    assert gateway.post("/api/handoffs/Hnope/claim", headers=auth(token)).status_code == 404
    bad_close = gateway.post("/api/handoffs/Hnope/close", json={"outcome": "whatever"}, headers=auth(token))
    assert bad_close.status_code == 422
    empty = gateway.post("/api/handoffs/Hnope/messages", json={"text": "  "}, headers=auth(token))
    assert empty.status_code == 422


def test_console_session_needs_csrf_for_changes(gateway: TestClient) -> None:
    add_agent(gateway, "fanny")
    opened = gateway.post("/api/auth/session", data={"username": "fanny", "password": "mot-de-passe-solide"})
    assert opened.status_code == 200
    cookie = opened.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    csrf = opened.json()["csrf_token"]
    assert gateway.get("/api/handoffs").status_code == 200  # reading with the cookie
    assert gateway.post("/api/handoffs/Hnope/claim").status_code == 403  # change without CSRF token
    assert gateway.post("/api/handoffs/Hnope/claim", headers={"X-CSRF-Token": csrf}).status_code == 404
    assert gateway.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert gateway.get("/api/handoffs").status_code == 401


def test_logins_are_rate_limited(gateway: TestClient) -> None:
    codes = [
        gateway.post("/api/auth/token", data={"username": "guess", "password": f"try-{i}"}).status_code
        for i in range(12)
    ]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
