"""The gateway's Rasa client over several Rasa instances: balance, failover, shared health checks.

Each instance here is a small aiohttp server on loopback speaking the REST channel's JSON (the
real Rasa behind it is tested end to end in tests/e2e and tests/gateway): what is under test is
which instance a message goes to, and what happens when one does not answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web

from assistant.conversations import rasa_client
from assistant.conversations.rasa_client import RasaClient, RasaUnavailable
from tests.helpers import free_port


@dataclass
class Instance:
    """One stand-in Rasa: the messages it received, in order; `delay` before each answer."""

    name: str
    delay: float = 0.0
    received: list[str] = field(default_factory=list)
    health_checks: int = 0
    url: str = ""

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body["message"])
        await asyncio.sleep(self.delay)
        text = f"{self.name}: {body['message']}"
        return web.json_response([{"recipient_id": body["sender"], "text": text}])

    async def status(self, request: web.Request) -> web.Response:
        # the token in a header, never in the URL (issue #27: URLs end up in logs)
        if request.headers.get("Authorization") != "Bearer token" or "token" in request.query:
            return web.json_response({"status": "failure"}, status=401)
        return web.json_response({"model_file": "model.tar.gz", "num_active_training_jobs": 0})

    async def health(self, _: web.Request) -> web.Response:
        self.health_checks += 1
        await asyncio.sleep(0.2)
        return web.json_response({"status": "ok"})


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[Instance]]]:
    runners: list[web.AppRunner] = []

    async def start(instance: Instance, port: int = 0) -> Instance:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", instance.webhook)
        app.router.add_get("/health", instance.health)
        app.router.add_get("/status", instance.status)
        runner = web.AppRunner(app)
        await runner.setup()
        port = port or free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runners.append(runner)
        instance.url = f"http://127.0.0.1:{port}"
        return instance

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


async def test_concurrent_messages_go_to_the_least_busy_instance(
    serve: Callable[[Instance], Awaitable[Instance]], session: aiohttp.ClientSession
) -> None:
    first, second = await serve(Instance("first", delay=0.5)), await serve(Instance("second", delay=0.05))
    client = RasaClient([first.url, second.url], "token", 5.0, session)
    busy = asyncio.ensure_future(client.send("a", "un"))
    await asyncio.sleep(0.1)  # "un" is in flight on the first: the next ones go to the second
    rest = await asyncio.gather(*(client.send("b", word) for word in ("deux", "trois")))
    assert [r[0].text for r in [await busy, *rest]] == ["first: un", "second: deux", "first: trois"]
    assert first.received == ["un", "trois"] and second.received == ["deux"]


async def test_at_light_load_every_message_goes_to_the_first_instance(
    serve: Callable[[Instance], Awaitable[Instance]], session: aiohttp.ClientSession
) -> None:
    one, two = await serve(Instance("one")), await serve(Instance("two"))
    client = RasaClient([one.url, two.url], "token", 5.0, session)
    for number in range(4):
        await client.send("a", str(number))
    assert one.received == ["0", "1", "2", "3"] and two.received == []


async def test_a_refused_connection_goes_to_the_next_instance(
    serve: Callable[[Instance], Awaitable[Instance]], session: aiohttp.ClientSession
) -> None:
    alive = await serve(Instance("alive"))
    client = RasaClient([f"http://127.0.0.1:{free_port()}", alive.url], "token", 5.0, session)
    for number in range(4):
        assert (await client.send("a", str(number)))[0].text == f"alive: {number}"
    assert alive.received == ["0", "1", "2", "3"]


async def test_no_instance_answering_is_rasa_unavailable(session: aiohttp.ClientSession) -> None:
    client = RasaClient([f"http://127.0.0.1:{free_port()}" for _ in range(2)], "token", 5.0, session)
    with pytest.raises(RasaUnavailable, match="unreachable"):
        await client.send("a", "bonjour")


async def test_a_timeout_is_not_sent_again_elsewhere(
    serve: Callable[[Instance], Awaitable[Instance]], session: aiohttp.ClientSession
) -> None:
    """Rasa may have applied a message it was too slow to answer: it is not given to another."""
    slow, other = await serve(Instance("slow", delay=1.0)), await serve(Instance("other"))
    client = RasaClient([slow.url, other.url], "token", 0.3, session)
    with pytest.raises(RasaUnavailable, match="TimeoutError"):
        await client.send("a", "bonjour")
    assert slow.received == ["bonjour"] and other.received == []


async def test_concurrent_health_checks_share_one_request(
    serve: Callable[[Instance], Awaitable[Instance]], session: aiohttp.ClientSession
) -> None:
    actions = await serve(Instance("actions"))
    client = RasaClient([actions.url], "token", 5.0, session)
    assert await asyncio.gather(*(client.actions_healthy(actions.url) for _ in range(5))) == [True] * 5
    assert actions.health_checks == 1
    assert await client.actions_healthy(actions.url)  # the previous check is over: a new one
    assert actions.health_checks == 2
    assert not await client.actions_healthy(f"http://127.0.0.1:{free_port()}")


async def test_the_model_is_loaded_when_every_instance_says_so(
    serve: Callable[[Instance], Awaitable[Instance]], session: aiohttp.ClientSession
) -> None:
    one, two = await serve(Instance("one")), await serve(Instance("two"))
    assert await RasaClient([one.url, two.url], "token", 5.0, session).model_loaded()
    assert not await RasaClient([one.url, two.url], "wrong", 5.0, session).model_loaded()
    down = f"http://127.0.0.1:{free_port()}"
    assert not await RasaClient([one.url, down], "token", 5.0, session).model_loaded()


@pytest.fixture
def unanswering_port() -> Iterator[int]:
    """A port whose listen queue is full: connecting there hangs, as with a host that is down."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port: int = server.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    yield port
    for sock in (*fillers, server):
        sock.close()


async def test_a_host_that_does_not_connect_is_skipped_then_tried_last(
    serve: Callable[[Instance], Awaitable[Instance]],
    session: aiohttp.ClientSession,
    unanswering_port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rasa_client, "CONNECT_SECONDS", 0.3)
    alive = await serve(Instance("alive"))
    client = RasaClient([f"http://127.0.0.1:{unanswering_port}", alive.url], "token", 5.0, session)
    started = time.monotonic()
    assert (await client.send("a", "un"))[0].text == "alive: un"
    assert time.monotonic() - started >= 0.3  # the connection was given up on, the message went on
    started = time.monotonic()
    assert (await client.send("a", "deux"))[0].text == "alive: deux"
    assert time.monotonic() - started < 0.25  # taken as down: the other one straight away
    assert alive.received == ["un", "deux"]


async def test_an_instance_taken_as_down_is_tried_again_after_a_while(
    serve: Callable[..., Awaitable[Instance]],
    session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rasa_client, "DOWN_SECONDS", 0.3)
    other = await serve(Instance("other"))
    port = free_port()
    client = RasaClient([f"http://127.0.0.1:{port}", other.url], "token", 5.0, session)
    assert (await client.send("a", "un"))[0].text == "other: un"  # the first refused
    back = await serve(Instance("back"), port)  # restarted on its port
    assert (await client.send("a", "deux"))[0].text == "other: deux"  # still taken as down
    await asyncio.sleep(0.35)
    assert (await client.send("a", "trois"))[0].text == "back: trois"  # up again: first listed
    assert back.received == ["trois"] and other.received == ["un", "deux"]
