"""Faults, against real processes: each part goes down (or misbehaves) in mid-conversation, then back.

In every case the person is told in French that the answer will come, the inbound message is kept
(`pending`), answered once the part is back by the background retry, in order, without a doubled
user message in Rasa's tracker (Rasa's APPLIED events), and /healthz names what is down.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from assistant import texts
from assistant.gateway.app import create_app
from assistant.ops.stack import rasa_spec
from tests.channels.fakes import FakeBotApi
from tests.e2e.conftest import FAULT_ACTION_TIMEOUT, FaultStack
from tests.e2e.faults_support import (
    FakeActionServer,
    Part,
    PrivatePostgres,
    PrivateRedis,
    user_turns,
    wait_for,
)
from tests.helpers import free_port

DELAYED = texts.text("delayed_answer")
WEBHOOK_SECRET = "telegram-webhook-secret-for-fault-tests"
MOVING = "je déménage le 15 mars, je suis locataire"
Q3_YES = '/answer{"choice_id":"F14128-q3-c1"}'  # the button the bot will show for its third question


def transcript(client: TestClient, conversation_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/conversations/{conversation_id}/messages")
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def answered(client: TestClient, conversation_id: str) -> bool:
    """Nothing waiting, and the last message is the bot's."""
    messages = transcript(client, conversation_id)
    return all(m["status"] != "pending" for m in messages) and messages[-1]["role"] == "bot"


def health(client: TestClient) -> tuple[int, dict[str, Any]]:
    response = client.get("/healthz")
    body: dict[str, Any] = response.json()
    return response.status_code, body


def question_buttons(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [b for m in messages for b in m.get("buttons") or [] if b["payload"].startswith("/answer")]


def asks(message: dict[str, Any], question_id: str) -> bool:
    return any(f'"{question_id}-c' in b["payload"] for b in message.get("buttons") or [])


class Frames:
    """A widget socket read in a thread, so that a test can wait for a frame with a timeout."""

    def __init__(self, socket: WebSocketTestSession) -> None:
        self.socket = socket
        self.frames: queue.Queue[dict[str, Any]] = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            while True:
                self.frames.put(self.socket.receive_json())
        except Exception:  # closed
            return

    def until(self, predicate: Any, timeout: float) -> list[dict[str, Any]]:
        """Frames up to and including the first one matching `predicate`."""
        seen: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no matching frame in {timeout:.0f} s: {seen}"
            try:
                frame = self.frames.get(timeout=remaining)
            except queue.Empty:
                continue
            seen.append(frame)
            if predicate(frame):
                return seen


def is_message(role: str) -> Any:
    return lambda f: f["type"] == "message" and f["message"]["role"] == role


def restore_actions(fault_stack: FaultStack, fake: FakeActionServer | None) -> None:
    if fake is not None:
        fake.close()
    fault_stack.actions.start()
    fault_stack.actions.wait_healthy()


def check_action_fault(client: TestClient, fault_stack: FaultStack, mode: str) -> None:
    settings = fault_stack.settings
    conversation = client.post("/api/conversations").json()["id"]
    before = user_turns(settings, conversation)
    assert before == ["/start_conversation"]
    fault_stack.actions.stop()
    fake = None if mode == "down" else FakeActionServer(settings.action_port, mode)
    try:
        started = time.monotonic()
        response = client.post(f"/api/conversations/{conversation}/messages", json={"text": MOVING})
        took = time.monotonic() - started
        assert response.status_code == 200, response.text
        assert [(m["role"], m["text"]) for m in response.json()["messages"]] == [("system", DELAYED)]
        if mode == "hang":  # bounded by ACTION_TIMEOUT (Rasa) plus the health check (3 s)
            assert FAULT_ACTION_TIMEOUT <= took < FAULT_ACTION_TIMEOUT + 10, took
        status, body = health(client)
        assert status == 503 and body["down"] == ["actions"], body
        assert "serveur d'actions" in body["message"]
        kept = [m for m in transcript(client, conversation) if m["role"] == "user"]
        assert [(m["text"], m["status"]) for m in kept] == [(MOVING, "pending")]
        assert user_turns(settings, conversation) == before  # the lost turn was rewound
        time.sleep(2.5)  # a few retries while still failing: still nothing doubled, nothing answered
        assert user_turns(settings, conversation) == before
        assert not answered(client, conversation)
    finally:
        restore_actions(fault_stack, fake)
    back = wait_for(lambda: answered(client, conversation), 30, "late answer")
    messages = transcript(client, conversation)
    assert [m["status"] for m in messages if m["role"] == "user"] == ["done"]
    assert sum(1 for m in messages if m["text"] == DELAYED) == 1  # said once, not at every retry
    late = [m for m in messages if m["role"] == "bot" and m["id"] > kept[0]["id"]]
    assert any(asks(m, "F14128-q2") for m in late), [m["text"][:150] for m in late]
    assert user_turns(settings, conversation) == ["/start_conversation", MOVING]
    print(f"{mode}: answered {back:.1f} s after the action server came back")


@pytest.mark.parametrize("mode", ["500", "hang"])
def test_action_server_misbehaving(fault_gateway: TestClient, fault_stack: FaultStack, mode: str) -> None:
    check_action_fault(fault_gateway, fault_stack, mode)


def test_action_server_down_widget_gets_the_late_answer(
    fault_gateway: TestClient, fault_stack: FaultStack
) -> None:
    client, settings = fault_gateway, fault_stack.settings
    conversation = client.post("/api/conversations").json()["id"]
    with client.websocket_connect(f"/ws/conversations/{conversation}") as socket:
        frames = Frames(socket)
        socket.send_json({"type": "resume", "after": 0})
        frames.until(is_message("bot"), 10)  # the welcome
        fault_stack.actions.stop()
        try:
            socket.send_json({"type": "message", "text": MOVING, "client_id": "fault-client-0001"})
            seen = frames.until(is_message("system"), 30)
            assert seen[-1]["message"]["text"] == DELAYED
            assert any(is_message("user")(f) and f["message"]["text"] == MOVING for f in seen)
            _, body = health(client)
            assert body["down"] == ["actions"]
            assert user_turns(settings, conversation) == ["/start_conversation"]
        finally:
            restore_actions(fault_stack, None)
        frames.until(lambda f: is_message("bot")(f) and asks(f["message"], "F14128-q2"), 30)
    assert user_turns(settings, conversation) == ["/start_conversation", MOVING]
    assert [m["status"] for m in transcript(client, conversation) if m["role"] == "user"] == ["done"]


def test_rasa_restarting_mid_conversation(fault_gateway: TestClient, fault_stack: FaultStack) -> None:
    client, settings = fault_gateway, fault_stack.settings
    conversation = client.post("/api/conversations").json()["id"]
    url = f"/api/conversations/{conversation}/messages"
    first = client.post(url, json={"text": MOVING}).json()["messages"]
    q2 = question_buttons(first)
    assert q2 and all(b["payload"].startswith('/answer{"choice_id":"F14128-q2-') for b in q2), first
    fault_stack.rasa.stop()
    try:
        replies = [client.post(url, json={"payload": p}) for p in (q2[0]["payload"], Q3_YES)]
        for reply in replies:
            assert reply.status_code == 200, reply.text
            assert [(m["role"], m["text"]) for m in reply.json()["messages"]] == [("system", DELAYED)]
        status, body = health(client)
        assert status == 503 and body["down"] == ["rasa"], body
        assert "moteur de dialogue" in body["message"]
        waiting = [m for m in transcript(client, conversation) if m["status"] == "pending"]
        assert [m["payload"] for m in waiting] == [q2[0]["payload"], Q3_YES]
    finally:
        fault_stack.rasa.start()
        fault_stack.rasa.wait_healthy()
    back = wait_for(lambda: answered(client, conversation), 30, "late answers")
    messages = transcript(client, conversation)
    assert all(m["status"] == "done" for m in messages if m["role"] == "user")
    # In order: the answer to q2 comes first (the bot asks q3), then the answer to q3.
    after = messages[[m["payload"] for m in messages].index(q2[0]["payload"]) :]
    bots = [m for m in after if m["role"] == "bot"]
    assert asks(bots[0], "F14128-q3"), bots
    assert not asks(bots[-1], "F14128-q3"), bots
    turns = user_turns(settings, conversation)
    assert turns == ["/start_conversation", MOVING, q2[0]["payload"], Q3_YES]
    # No silent state reset: what was said before the restart is still in the tracker.
    tracker = httpx.get(
        f"{settings.rasa_base_url}/conversations/{conversation}/tracker",
        params={"token": settings.rasa_token, "include_events": "NONE"},
        timeout=10,
    ).json()
    assert "F14128" in (tracker["slots"].get("situations") or [])
    assert str(tracker["slots"].get("event_date") or "").endswith("-03-15")
    answers = json.dumps(tracker["slots"].get("answers"))
    assert all(f"F14128-q{n}" in answers for n in (1, 2, 3)), answers
    print(f"rasa restart: answered {back:.1f} s after Rasa was healthy again")


def test_redis_down_then_back(fault_stack: FaultStack, tmp_path: Path) -> None:
    """REDIS_URL set: Rasa's tracker and lock stores, rate limits and de-duplication in a private Redis."""
    redis = PrivateRedis(tmp_path / "redis", free_port())
    redis.start()
    settings = fault_stack.settings.copy(
        update={
            "redis_url": redis.url,
            "redis_key_prefix": "faults",
            "rasa_port": free_port(),
            "rasa_url": "",
            "database_url": f"sqlite:///{tmp_path / 'gw.db'}",
            "rate_limit_per_minute": 3,
        }
    )
    rasa = Part(rasa_spec(settings, fault_stack.model), fault_stack.log)
    rasa.start()
    try:
        rasa.wait_healthy()
        with TestClient(create_app(settings)) as client:
            conversation = client.post("/api/conversations").json()["id"]
            url = f"/api/conversations/{conversation}/messages"
            assert question_buttons(client.post(url, json={"text": MOVING}).json()["messages"])
            assert health(client)[0] == 200
            redis.stop()
            # Rate limits fail open: more messages than the limit (3 a minute) still get through.
            texts_sent = ["je ne sais pas", "je ne sais pas non plus", "toujours pas"]
            for text in texts_sent:
                reply = client.post(url, json={"text": text})
                assert reply.status_code == 200, reply.text
                assert [(m["role"], m["text"]) for m in reply.json()["messages"]] == [("system", DELAYED)]
            status, body = health(client)
            assert status == 503 and "redis" in body["down"], body
            assert "Redis (redis)" in body["message"]
            waiting = [m["text"] for m in transcript(client, conversation) if m["status"] == "pending"]
            assert waiting == texts_sent
            redis.start()
            back = wait_for(lambda: answered(client, conversation), 40, "late answers after Redis")
            turns = user_turns(settings, conversation)
            assert turns == ["/start_conversation", MOVING, *texts_sent]  # kept across the restart
            assert health(client)[0] == 200
            print(f"redis: answered {back:.1f} s after Redis came back")
    finally:
        rasa.stop()
        redis.stop()


def test_postgresql_down_then_back(fault_stack: FaultStack, private_dir: Path) -> None:
    postgres = PrivatePostgres(private_dir, free_port())
    postgres.init()
    postgres.start()
    bot = FakeBotApi()  # the Telegram Bot API is on the internet: a local stand-in
    settings = fault_stack.settings.copy(
        update={
            "database_url": postgres.url,
            "telegram_bot_token": bot.TOKEN,
            "telegram_webhook_secret": WEBHOOK_SECRET,
            "telegram_api_base_url": bot.url,
        }
    )
    chat = {"id": 4242, "type": "private"}
    sender = {"id": 4242, "is_bot": False, "first_name": "Camille"}
    message = {"message_id": 1, "date": int(time.time()), "chat": chat, "from": sender, "text": MOVING}
    update = {"update_id": 777001, "message": message}
    telegram = {"url": "/channels/telegram/webhook", "json": update}
    telegram["headers"] = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    try:
        with TestClient(create_app(settings)) as client:
            conversation = client.post("/api/conversations").json()["id"]
            url = f"/api/conversations/{conversation}/messages"
            assert client.post(url, json={"text": "bonjour"}).status_code == 200
            postgres.stop()
            reply = client.post(url, json={"text": MOVING})
            assert reply.status_code == 503, reply.text
            assert reply.headers["Retry-After"] == "10"
            error = reply.json()["error"]
            assert error["code"] == "storage_unavailable" and "Renvoyez-le" in error["message"]
            assert client.post("/api/conversations").status_code == 503
            status, body = health(client)
            assert status == 503 and body["down"] == ["storage"], body
            refused = client.post(**telegram)  # Telegram re-sends what was not answered 200
            assert refused.status_code == 503 and refused.headers["Retry-After"] == "10"
            assert "Renvoyez" in refused.json()["error"]["message"]
            with client.websocket_connect(f"/ws/conversations/{conversation}") as socket:
                frame = socket.receive_json()
                assert frame["type"] == "error" and "renvoyé automatiquement" in frame["message"]
                closing = socket.receive()
                assert closing["type"] == "websocket.close" and closing["code"] == 1013
            postgres.start()  # back: the same gateway recovers, without a restart
            wait_for(lambda: health(client)[0] == 200, 20, "storage back in /healthz")
            with client.websocket_connect(f"/ws/conversations/{conversation}") as socket:
                frames = Frames(socket)
                socket.send_json({"type": "resume", "after": 0})
                resend = {"type": "message", "text": MOVING, "client_id": "fault-client-0002"}
                socket.send_json(resend)  # what the widget re-sends from its outbox on reconnection
                socket.send_json(resend)
                frames.until(lambda f: is_message("bot")(f) and asks(f["message"], "F14128-q2"), 30)
            messages = transcript(client, conversation)
            assert [m["text"] for m in messages if m["role"] == "user"] == ["bonjour", MOVING]
            assert user_turns(settings, conversation) == ["/start_conversation", "bonjour", MOVING]
            assert client.post(**telegram).status_code == 200  # the re-sent update, accepted
            wait_for(lambda: any("votre nationalité ?" in t for t in bot.sent_texts()), 30, "Telegram answer")
    finally:
        bot.close()
        if (postgres.data / "postmaster.pid").exists():
            postgres.stop()
