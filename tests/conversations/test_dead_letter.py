"""Issue #27, finding 2: a message that breaks its turn again and again (Rasa answers nothing while
the action server is healthy) is set aside after a bounded number of tries, the person is told,
and the conversation goes on; while the action server is down, messages wait instead."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.conversations.dead_letter import DEFAULT_MAX_TRIES
from assistant.gateway.app import create_app
from tests.channels.fakes import Call
from tests.conftest import make_settings
from tests.fake_rasa import BREAKS_THE_TURN, FakeRasa


class ActionsDown(FakeRasa):
    def handle(self, path: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        if path.startswith("/health"):
            return 503, {}
        return super().handle(path, params, headers)


class StoresDown(FakeRasa):
    """Rasa with its lock and tracker stores (Redis) down until `back` is set: its REST channel
    logs the exception and answers 200 with nothing; its tracker store falls back to memory, so
    its API still answers (with a tracker that holds nothing of the conversation)."""

    back = False

    def handle(self, path: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        if self.back or not path.startswith("/webhooks/rest/webhook"):
            return super().handle(path, params, headers)
        if params.get("message") == "/start_conversation":
            return super().handle(path, params, headers)
        self.record(Call("message", params, headers))
        return 200, []


def _gateway(tmp_path: Path, fake: FakeRasa) -> TestClient:
    settings = make_settings(
        tmp_path,
        rasa_url=fake.url,
        action_server_url=fake.url,
        retry_interval=0.05,
        retry_max_interval=0.1,
    )
    return TestClient(create_app(settings))


def _transcript(client: TestClient, conversation: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = client.get(f"/api/conversations/{conversation}/messages").json()[
        "messages"
    ]
    return messages


def _wait(predicate: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def fake() -> Iterator[FakeRasa]:
    server = FakeRasa()
    yield server
    server.close()


def test_a_message_that_keeps_failing_is_set_aside(tmp_path: Path, fake: FakeRasa) -> None:
    with _gateway(tmp_path, fake) as client:
        conversation = client.post("/api/conversations").json()["id"]
        url = f"/api/conversations/{conversation}/messages"
        first = client.post(url, json={"text": BREAKS_THE_TURN}).json()["messages"]
        assert [m["role"] for m in first] == ["system"]  # "the answer will come"

        def failed() -> bool:
            return any(m["status"] == "failed" for m in _transcript(client, conversation))

        _wait(failed)
        time.sleep(0.5)  # several more passes of the background retry: nothing is sent again
        assert fake.messages().count(BREAKS_THE_TURN) == DEFAULT_MAX_TRIES
        transcript = _transcript(client, conversation)
        notices = [m["text"] for m in transcript if m["role"] == "system"]
        assert any("Nous n'avons pas pu traiter votre message" in (n or "") for n in notices)
        # the conversation goes on
        answer = client.post(url, json={"text": "bonjour"}).json()["messages"]
        assert [m["text"] for m in answer] == ["Réponse à : bonjour"]
        users = [(m["text"], m["status"]) for m in _transcript(client, conversation) if m["role"] == "user"]
        assert users == [(BREAKS_THE_TURN, "failed"), ("bonjour", "done")]


def test_messages_wait_while_the_action_server_is_down(tmp_path: Path) -> None:
    down = ActionsDown()
    try:
        with _gateway(tmp_path, down) as client:
            conversation = client.post("/api/conversations").json()["id"]
            client.post(f"/api/conversations/{conversation}/messages", json={"text": BREAKS_THE_TURN})
            _wait(lambda: down.messages().count(BREAKS_THE_TURN) > DEFAULT_MAX_TRIES + 1)
            statuses = [m["status"] for m in _transcript(client, conversation) if m["role"] == "user"]
            assert statuses == ["pending"]  # not set aside: the fault is not the message's
    finally:
        down.close()


def test_messages_wait_while_rasas_stores_are_down(tmp_path: Path) -> None:
    """Redis down under Rasa: Rasa answers nothing while the action server is healthy, but no
    message is to blame: they wait, none is set aside, and they are answered in order once Redis
    is back (the wiring to the real Redis: tests/e2e/test_faults.py::test_redis_down_then_back)."""
    down = StoresDown()

    async def stores_healthy() -> bool:  # the gateway pings Redis (assistant/gateway/state.py)
        return down.back

    try:
        with _gateway(tmp_path, down) as client:
            client.app.state.services.conversations.stores_healthy = stores_healthy  # type: ignore[attr-defined]
            conversation = client.post("/api/conversations").json()["id"]
            url = f"/api/conversations/{conversation}/messages"
            sent = ["premier", "deuxième", "troisième", "quatrième"]  # more than DEFAULT_MAX_TRIES
            for text in sent:
                reply = client.post(url, json={"text": text}).json()["messages"]
                assert [m["role"] for m in reply] == ["system"]  # "the answer will come"
            _wait(lambda: down.messages().count("premier") > 2 * DEFAULT_MAX_TRIES)  # retried, again
            transcript = _transcript(client, conversation)
            assert [m["status"] for m in transcript if m["role"] == "user"] == ["pending"] * len(sent)
            notices = [m["text"] or "" for m in transcript if m["role"] == "system"]
            assert not any("Nous n'avons pas pu traiter votre message" in n for n in notices)

            down.back = True

            def answered() -> bool:
                users = [m for m in _transcript(client, conversation) if m["role"] == "user"]
                return all(m["status"] == "done" for m in users)

            _wait(answered)
            bots = [m["text"] for m in _transcript(client, conversation) if m["role"] == "bot"]
            assert bots[-len(sent) :] == [f"Réponse à : {text}" for text in sent]
    finally:
        down.close()
