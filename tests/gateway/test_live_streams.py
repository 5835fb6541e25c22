"""The consoles' live streams, served by uvicorn over real sockets: open for as long as the console
keeps them (keep-alives, no timeout of ours), resumed without loss after a disconnection."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import httpx
import pytest
import uvicorn

from assistant.auth.repository import AgentRepository
from assistant.config import Settings
from assistant.conversations.models import Button, OutboundMessage
from assistant.conversations.repository import ConversationRepository
from assistant.gateway.app import create_app
from assistant.handoff.repository import HandoffRepository
from assistant.storage import Database
from tests.conftest import REDIS_TEST_URL, make_settings
from tests.helpers import free_port

KEEPALIVE = 0.25
# Longer than every timeout on the way: the keep-alive interval (many times over) and uvicorn's
# own idle timeout (5 s by default, between requests of a kept-alive connection).
HELD_SECONDS = 6.0
PASSWORD = "mot-de-passe-tres-solide"


@dataclass
class Live:
    url: str
    settings: Settings
    token: str
    handoff_id: str
    conversation_id: str


@pytest.fixture(params=["memory", "redis"])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Live]:
    """The gateway on a real port (events in process, or through Redis), one agent, one web
    conversation waiting for an agent."""
    port = free_port()
    broker: dict[str, object] = {}
    if request.param == "redis":
        broker = {"redis_url": REDIS_TEST_URL, "redis_key_prefix": request.getfixturevalue("redis_prefix")}
    settings = make_settings(tmp_path, port=port, sse_keepalive_seconds=KEEPALIVE, **broker)
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="sse-gateway", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the gateway did not start"
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    try:
        conversation_id, handoff_id = asyncio.run(_records(settings))
        response = httpx.post(f"{url}/api/auth/token", data={"username": "alice", "password": PASSWORD})
        assert response.status_code == 200, response.text
        yield Live(url, settings, response.json()["access_token"], handoff_id, conversation_id)
    finally:
        server.should_exit = True
        thread.join(timeout=20)


async def _records(settings: Settings) -> tuple[str, str]:
    database = Database(settings.sqlalchemy_url)
    await database.start()
    try:
        await AgentRepository(database).add("alice", PASSWORD, "agent", "Alice")
        conversations = ConversationRepository(database)
        conversation = await conversations.create("web")
        buttons = (Button("Laisser mes coordonnées", "/leave_contact"),)
        await conversations.add_outbound(
            conversation.id, "bot", [OutboundMessage(text="Un conseiller va venir.", buttons=buttons)]
        )
        await conversations.add_inbound(conversation.id, None, "/leave_contact", status="agent")
        packet = {"channel": "web", "situations": [{"id": "F14128", "title": "Je déménage"}]}
        handoff = await HandoffRepository(database).create(conversation.id, "explicit_request", 1, packet)
        return conversation.id, handoff.id
    finally:
        await database.stop()


@dataclass
class Reader:
    """Reads a stream in a thread: every line with the time it came, and how the stream ended."""

    lines: list[tuple[float, str]] = field(default_factory=list)
    error: Optional[BaseException] = None
    ended: bool = False
    stop: threading.Event = field(default_factory=threading.Event)
    thread: Optional[threading.Thread] = None

    def start(self, url: str, headers: dict[str, str]) -> Reader:
        def run() -> None:
            try:
                with httpx.stream("GET", url, headers=headers, timeout=httpx.Timeout(10.0)) as response:
                    assert response.status_code == 200, response.read()
                    assert response.headers["content-type"].startswith("text/event-stream")
                    for line in response.iter_lines():
                        self.lines.append((time.monotonic(), line))
                        if self.stop.is_set():
                            return
                self.ended = True
            except BaseException as exc:  # reported by the test
                self.error = exc

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        return self

    def close(self) -> None:
        self.stop.set()
        assert self.thread is not None
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()

    def data(self) -> list[tuple[Optional[str], str]]:
        """(id, data) of each event received so far."""
        events: list[tuple[Optional[str], str]] = []
        event_id: Optional[str] = None
        for _, line in list(self.lines):
            if line.startswith("id: "):
                event_id = line[4:]
            elif line.startswith("data: "):
                events.append((event_id, line[6:]))
                event_id = None
        return events

    def wait_for(self, text: str, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in data for _, data in self.data()):
            assert self.error is None and not self.ended, f"the stream ended: {self.error!r}"
            assert time.monotonic() < deadline, f"{text!r} never came: {self.data()}"
            time.sleep(0.05)


def auth(live: Live) -> dict[str, str]:
    return {"Authorization": f"Bearer {live.token}"}


def test_streams_stay_open_past_every_timeout_and_still_deliver(live: Live) -> None:
    queue = Reader().start(f"{live.url}/api/handoffs/events", auth(live))
    conversation = Reader().start(f"{live.url}/api/handoffs/{live.handoff_id}/events", auth(live))
    opened = time.monotonic()
    time.sleep(HELD_SECONDS)
    for reader in (queue, conversation):
        assert reader.error is None and not reader.ended, reader.error
        keepalives = [at for at, line in reader.lines if line == ": keep-alive"]
        assert len(keepalives) >= HELD_SECONDS / KEEPALIVE * 0.7, len(keepalives)
        assert keepalives[-1] - opened > HELD_SECONDS - 3 * KEEPALIVE  # still coming at the end

    claimed = httpx.post(f"{live.url}/api/handoffs/{live.handoff_id}/claim", headers=auth(live))
    assert claimed.status_code == 200
    queue.wait_for('"event": "claimed"')
    sent = httpx.post(
        f"{live.url}/api/handoffs/{live.handoff_id}/messages", json={"text": "Bonjour"}, headers=auth(live)
    )
    conversation.wait_for('"text": "Bonjour"')
    event_id, data = next((i, d) for i, d in queue.data() if '"claimed"' in d)
    assert event_id is not None and event_id.isdigit()
    assert '"last_message": {"text": "Laisser mes coordonnées"' in data  # the title, not the payload
    event_id, data = next((i, d) for i, d in conversation.data() if "Bonjour" in d)
    assert event_id == str(sent.json()["id"])
    queue.close()
    conversation.close()


def test_a_console_that_comes_back_gets_what_it_missed_once(live: Live) -> None:
    base = f"{live.url}/api/handoffs/{live.handoff_id}"
    assert httpx.post(f"{base}/claim", headers=auth(live)).status_code == 200
    first = Reader().start(f"{base}/events", auth(live))
    time.sleep(2 * KEEPALIVE)  # subscribed
    one = httpx.post(f"{base}/messages", json={"text": "un"}, headers=auth(live)).json()
    first.wait_for('"text": "un"')
    last_id = first.data()[-1][0]
    assert last_id == str(one["id"])
    first.close()  # the connection is lost

    missed = [
        httpx.post(f"{base}/messages", json={"text": text}, headers=auth(live)).json()
        for text in ("deux", "trois")
    ]
    again = Reader().start(f"{base}/events", {**auth(live), "Last-Event-ID": last_id})
    again.wait_for('"text": "trois"')
    time.sleep(2 * KEEPALIVE)
    live_one = httpx.post(f"{base}/messages", json={"text": "quatre"}, headers=auth(live)).json()
    again.wait_for('"text": "quatre"')
    ids = [event_id for event_id, data in again.data() if '"event": "message"' in data]
    assert ids == [str(m["id"]) for m in [*missed, live_one]]  # in order, each once, none before
    again.close()

    # A new EventSource cannot set the header: the query string says the same.
    third = Reader().start(f"{base}/events?last_event_id={one['id']}", auth(live))
    third.wait_for('"text": "quatre"')
    ids = [event_id for event_id, data in third.data() if '"event": "message"' in data]
    assert ids == [str(m["id"]) for m in [*missed, live_one]]
    third.close()


@pytest.mark.parametrize("value", ["abc", "-1", "1" * 40, ""])
def test_a_malformed_last_event_id_replays_nothing(live: Live, value: str) -> None:
    base = f"{live.url}/api/handoffs/{live.handoff_id}"
    reader = Reader().start(f"{base}/events", {**auth(live), "Last-Event-ID": value})
    time.sleep(3 * KEEPALIVE)
    assert reader.error is None and reader.data() == []
    reader.close()
