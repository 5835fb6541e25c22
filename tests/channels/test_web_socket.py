"""The widget's WebSocket protocol, against the real gateway, Rasa and action server."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from assistant.conversations.web_clients import WebClientMessages
from assistant.storage import Database
from channels.web_frames import MAX_FRAME_BYTES
from tests.conftest import add_agent

Frame = dict[str, Any]


def new_conversation(gateway: TestClient) -> str:
    response = gateway.post("/api/conversations")
    assert response.status_code == 201, response.text
    conversation: str = response.json()["id"]
    return conversation


def transcript(gateway: TestClient, conversation: str) -> list[Frame]:
    response = gateway.get(f"/api/conversations/{conversation}/messages")
    assert response.status_code == 200, response.text
    messages: list[Frame] = response.json()["messages"]
    return messages


def socket(gateway: TestClient, conversation: str) -> Any:
    return gateway.websocket_connect(f"/ws/conversations/{conversation}")


def receive(ws: WebSocketTestSession, count: int) -> list[Frame]:
    return [ws.receive_json() for _ in range(count)]


def until_answered(ws: WebSocketTestSession) -> list[Frame]:
    """Every frame up to the end of the typing indicator (the answer comes before it)."""
    frames: list[Frame] = []
    while True:
        frame = ws.receive_json()
        frames.append(frame)
        if frame == {"type": "typing", "active": False}:
            return frames


def messages_of(frames: list[Frame]) -> list[Frame]:
    return [f["message"] for f in frames if f["type"] == "message"]


def expect_error(ws: WebSocketTestSession, raw: str | bytes, fragment: str) -> None:
    if isinstance(raw, bytes):
        ws.send_bytes(raw)
    else:
        ws.send_text(raw)
    frame = ws.receive_json()
    assert frame["type"] == "error", frame
    assert fragment in frame["message"], frame


def ping(ws: WebSocketTestSession) -> None:
    """Nothing else is waiting on the socket: the next frame is the answer to a bad frame."""
    expect_error(ws, '{"type": "ping"}', "Type de message inconnu")


def say(ws: WebSocketTestSession, text: str, client_id: str | None = None) -> list[Frame]:
    ws.send_json({"type": "message", "text": text, "client_id": client_id or str(uuid.uuid4())})
    return until_answered(ws)


def test_welcome_replay_then_message_and_answer(gateway: TestClient) -> None:
    conversation = new_conversation(gateway)
    welcome = transcript(gateway, conversation)
    assert welcome and all(m["role"] == "bot" for m in welcome)
    with socket(gateway, conversation) as ws:
        ws.send_json({"type": "resume", "after": 0})
        replayed = messages_of(receive(ws, len(welcome)))
        assert [m["id"] for m in replayed] == [m["id"] for m in welcome]
        assert set(replayed[0]) == {"id", "role", "text", "buttons", "created_at"}

        client_id = str(uuid.uuid4())
        frames = say(ws, "  je déménage le mois prochain  ", client_id)
        assert frames[0] == {"type": "typing", "active": True}
        sent = messages_of(frames)
        assert sent[0]["role"] == "user" and sent[0]["text"] == "je déménage le mois prochain"
        assert sent[0]["client_id"] == client_id
        answers = sent[1:]
        assert answers and all(m["role"] == "bot" for m in answers)
        assert any(b["payload"] for m in answers for b in m["buttons"]), answers
        ids = [m["id"] for m in sent]
        assert ids == sorted(ids) and ids[0] > replayed[-1]["id"]
        ping(ws)

    stored = transcript(gateway, conversation)
    assert [m["id"] for m in stored] == [m["id"] for m in replayed + sent]


def test_button_payload(gateway: TestClient) -> None:
    conversation = new_conversation(gateway)
    with socket(gateway, conversation) as ws:
        answers = messages_of(say(ws, "je déménage"))[1:]
        buttons = {b["title"]: b["payload"] for m in answers for b in m["buttons"]}
        assert "Locataire" in buttons, buttons
        ws.send_json({"type": "payload", "payload": buttons["Locataire"], "client_id": str(uuid.uuid4())})
        sent = messages_of(until_answered(ws))
        assert sent[0]["role"] == "user" and sent[0]["payload"] == buttons["Locataire"]
        assert sent[0]["text"] is None
        assert len(sent) > 1 and all(m["role"] == "bot" for m in sent[1:])


def test_resume_replays_only_what_came_after(gateway: TestClient) -> None:
    conversation = new_conversation(gateway)
    with socket(gateway, conversation) as ws:
        first = messages_of(say(ws, "bonjour"))
    # Meanwhile, through the REST API: the next socket must replay it.
    response = gateway.post(f"/api/conversations/{conversation}/messages", json={"text": "je déménage"})
    assert response.status_code == 200
    stored = transcript(gateway, conversation)
    after = first[-1]["id"]
    missed = [m for m in stored if m["id"] > after]
    assert missed and missed[0]["text"] == "je déménage"
    with socket(gateway, conversation) as ws:
        ws.send_json({"type": "resume", "after": after})
        replayed = messages_of(receive(ws, len(missed)))
        assert [m["id"] for m in replayed] == [m["id"] for m in missed]
        ping(ws)  # nothing more, nothing twice
        ws.send_json({"type": "resume", "after": stored[-1]["id"]})
        ping(ws)


def test_a_resent_client_id_is_processed_once(gateway: TestClient) -> None:
    conversation = new_conversation(gateway)
    client_id = str(uuid.uuid4())
    with socket(gateway, conversation) as ws:
        ws.send_json({"type": "resume", "after": 0})
        welcome = messages_of(receive(ws, len(transcript(gateway, conversation))))
        sent = messages_of(say(ws, "je déménage", client_id))
    # The client did not see the answer (socket dropped): it resumes from the welcome and re-sends.
    with socket(gateway, conversation) as ws:
        ws.send_json({"type": "resume", "after": welcome[-1]["id"]})
        ws.send_json({"type": "message", "text": "je déménage", "client_id": client_id})
        replayed = messages_of(receive(ws, len(sent)))
        assert [m["id"] for m in replayed] == [m["id"] for m in sent]
        assert replayed[0]["client_id"] == client_id
        ws.send_json({"type": "message", "text": "je déménage", "client_id": client_id})
        ping(ws)  # no typing, no new message
    users = [m for m in transcript(gateway, conversation) if m["role"] == "user"]
    assert [m["text"] for m in users] == ["je déménage"]


def test_a_client_id_is_claimed_once_even_at_the_same_time(gateway: TestClient) -> None:
    conversation = new_conversation(gateway)
    database: Database = gateway.app.state.services.database  # type: ignore[attr-defined]

    async def race() -> list[bool]:
        import asyncio

        clients = WebClientMessages(database)
        return list(await asyncio.gather(*(clients.claim(conversation, "abcdefgh-1234") for _ in range(5))))

    assert sorted(gateway.portal.call(race)) == [False, False, False, False, True]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("pas du json", "pas du JSON valide"),
        ("[1, 2]", "objet JSON"),
        ('"texte"', "objet JSON"),
        ('{"text": "bonjour"}', "Type de message inconnu"),
        ('{"type": "bogus"}', "Type de message inconnu"),
        ('{"type": "message", "text": "   ", "client_id": "abcdefgh-1"}', "Le message est vide"),
        ('{"type": "message", "text": "\\u200b\\u0007", "client_id": "abcdefgh-1"}', "Le message est vide"),
        (json.dumps({"type": "message", "text": "a" * 2001, "client_id": "abcdefgh-1"}), "2000 caractères"),
        ('{"type": "message", "text": 12, "client_id": "abcdefgh-1"}', "texte du message"),
        ('{"type": "message", "text": "bonjour"}', "client_id"),
        ('{"type": "message", "text": "bonjour", "client_id": "<x>"}', "client_id"),
        ('{"type": "message", "text": "bonjour", "client_id": "abcdefgh-1", "x": 1}', "Champ inconnu : x"),
        ('{"type": "payload", "payload": "", "client_id": "abcdefgh-1"}', "valeur du bouton"),
        ('{"type": "payload", "payload": ["/x"], "client_id": "abcdefgh-1"}', "valeur du bouton"),
        ('{"type": "resume", "after": -1}', "entier positif"),
        ('{"type": "resume", "after": "3"}', "entier positif"),
        ('{"type": "resume", "after": true}', "entier positif"),
        (b'{"type": "resume", "after": 0}', "texte JSON"),
    ],
)
def test_invalid_frames_get_an_error_and_keep_the_connection(
    gateway: TestClient, raw: str | bytes, fragment: str
) -> None:
    conversation = new_conversation(gateway)
    with socket(gateway, conversation) as ws:
        expect_error(ws, raw, fragment)
        ws.send_json({"type": "resume", "after": 0})
        assert ws.receive_json()["type"] == "message"  # still connected, still working
    assert [m["role"] for m in transcript(gateway, conversation)] == ["bot"] * len(
        transcript(gateway, conversation)
    )


def test_oversized_frame(gateway: TestClient) -> None:
    conversation = new_conversation(gateway)
    with socket(gateway, conversation) as ws:
        big = json.dumps({"type": "message", "text": "é" * 4500, "client_id": "abcdefgh-1"})
        assert len(big.encode()) > MAX_FRAME_BYTES
        expect_error(ws, big, "trop volumineux")
        expect_error(ws, "x" * 60_000, "trop volumineux")  # below MAX_WS_FRAME_BYTES: still open
        frames = say(ws, "bonjour")
        assert messages_of(frames)[0]["text"] == "bonjour"
    assert all(m["role"] != "user" or m["text"] == "bonjour" for m in transcript(gateway, conversation))


@pytest.mark.parametrize("conversation", ["inconnue-mais-bien-formee-123456", "a" * 65, "id%20invalide", "x"])
def test_unknown_conversation_closes_with_4404(gateway: TestClient, conversation: str) -> None:
    with pytest.raises(WebSocketDisconnect) as closed, socket(gateway, conversation) as ws:
        ws.receive_json()
    assert closed.value.code == 4404


def test_agent_messages_are_pushed_live_once(gateway: TestClient) -> None:
    token = add_agent(gateway, "camille")
    auth = {"Authorization": f"Bearer {token}"}
    conversation = new_conversation(gateway)
    with socket(gateway, conversation) as ws:
        say(ws, "je déménage, je suis locataire")
        ws.send_json({"type": "payload", "payload": "/ask_human", "client_id": str(uuid.uuid4())})
        asked = messages_of(until_answered(ws))
        assert asked[0]["payload"] == "/ask_human"
        assert "conseiller" in " ".join(m["text"] or "" for m in asked[1:])

        waiting = gateway.get("/api/handoffs", headers=auth).json()["handoffs"]
        (handoff,) = [h for h in waiting if h["conversation_id"] == conversation]
        assert gateway.post(f"/api/handoffs/{handoff['id']}/claim", headers=auth).status_code == 200
        joined = ws.receive_json()  # the person is told who joins
        assert joined["type"] == "message" and joined["message"]["role"] == "system"
        assert joined["message"]["text"].startswith(
            "camille, du service d'accueil, a rejoint la conversation."
        )
        reply = gateway.post(
            f"/api/handoffs/{handoff['id']}/messages", headers=auth, json={"text": "Bonjour, je suis là."}
        )
        assert reply.status_code == 201, reply.text
        pushed = ws.receive_json()
        assert pushed["type"] == "message"
        assert pushed["message"]["role"] == "agent" and pushed["message"]["text"] == "Bonjour, je suis là."
        assert pushed["message"]["id"] == reply.json()["id"]
        ping(ws)  # published twice (handoff service and WebChannel.deliver), sent once

        # The person writes while the agent has the conversation: stored, no typing, no bot.
        ws.send_json({"type": "message", "text": "Merci !", "client_id": str(uuid.uuid4())})
        echo = ws.receive_json()
        assert echo["type"] == "message" and echo["message"]["text"] == "Merci !"
        ping(ws)

        # Back to the bot: its message reaches the socket through WebChannel.deliver.
        closed = gateway.post(
            f"/api/handoffs/{handoff['id']}/close",
            headers=auth,
            json={"outcome": "resolved", "back_to_bot": True},
        )
        assert closed.status_code == 200, closed.text
        left = ws.receive_json()
        assert (
            left["message"]["role"] == "system"
            and left["message"]["text"] == "camille a quitté la conversation."
        )
        resumed = ws.receive_json()
        assert resumed["type"] == "message" and resumed["message"]["role"] == "bot"
        assert "reprend" in resumed["message"]["text"]
        # Handed back by an agent: the satisfaction question follows, pushed once as well.
        survey = ws.receive_json()
        assert survey["type"] == "message" and survey["message"]["buttons"][0]["payload"] == "csat:1"
        ping(ws)

    stored = transcript(gateway, conversation)
    assert len({m["id"] for m in stored}) == len(stored)
    assert [m["text"] for m in stored if m["role"] == "agent"] == ["Bonjour, je suis là."]


def test_two_sockets_of_one_conversation_both_get_the_answer(gateway: TestClient) -> None:
    conversation = new_conversation(gateway)
    with socket(gateway, conversation) as first, socket(gateway, conversation) as second:
        for ws in (first, second):
            ws.send_json({"type": "resume", "after": transcript(gateway, conversation)[-1]["id"]})
            ping(ws)
        sent = messages_of(say(first, "je déménage"))
        seen = messages_of(receive(second, len(sent)))
        assert [m["id"] for m in seen] == [m["id"] for m in sent]
        ping(second)
