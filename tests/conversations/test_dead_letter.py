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
from tests.conftest import make_settings
from tests.fake_rasa import BREAKS_THE_TURN, FakeRasa


class ActionsDown(FakeRasa):
    def handle(self, path: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        if path.startswith("/health"):
            return 503, {}
        return super().handle(path, params, headers)


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
