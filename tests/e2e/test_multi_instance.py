"""Two gateway instances and two Rasa instances sharing Redis and PostgreSQL, no sticky routing.

Two `rasa run` processes on their own ports (each with the model, the Redis tracker store and our
atomic lock store on the same key prefix), one action server, and two gateways (uvicorn in
threads) on the same PostgreSQL database and Redis prefix, gateway A talking to Rasa 1 and
gateway B to Rasa 2. Started once for the module.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import websockets

from assistant.rasa.lock_store import AtomicRedisLockStore
from tests.conftest import REDIS_TEST_URL, make_settings
from tests.e2e.cluster_support import (
    BURST,
    Cluster,
    frames_until,
    new_conversation,
    send,
    start_stack,
    token,
    transcript,
    user_texts,
)
from tests.e2e.conftest import add_agents, serve
from tests.helpers import free_port


@pytest.fixture(scope="module")
def cluster(
    tmp_path_factory: pytest.TempPathFactory, trained_model: Path, redis_prefix: str, postgres_url: str
) -> Iterator[Cluster]:
    tmp = tmp_path_factory.mktemp("multi")
    rasa = make_settings(
        tmp,
        rasa_port=free_port(),
        action_port=free_port(),
        redis_url=REDIS_TEST_URL,
        redis_key_prefix=redis_prefix,
        database_url=postgres_url,
    )
    second = rasa.copy(update={"rasa_port": free_port()})
    log = rasa.var_dir / "stack.log"
    stack = start_stack(rasa, second, trained_model, log)
    try:
        asyncio.run(add_agents(rasa, ("camille", "Camille"), ("dominique", "Dominique")))
        with ExitStack() as servers:
            urls = [
                servers.enter_context(serve(settings.copy(update={"port": free_port()}), name))
                for settings, name in ((rasa, "gateway-a"), (second, "gateway-b"))
            ]
            yield Cluster(rasa, stack, urls, [rasa.rasa_base_url, second.rasa_base_url])
    finally:
        stack.stop()


@pytest.fixture
async def clients(cluster: Cluster) -> AsyncIterator[list[httpx.AsyncClient]]:
    """One HTTP client per gateway instance."""
    pair = [httpx.AsyncClient(base_url=url, timeout=60) for url in cluster.urls]
    yield pair
    for client in pair:
        await client.aclose()


def test_two_rasa_instances_share_the_atomic_lock_store(cluster: Cluster, redis_prefix: str) -> None:
    """Both instances run with the model; Rasa 2 waits for a ticket held outside it, in Redis."""
    for url in cluster.rasa_urls:
        status = httpx.get(f"{url}/status", headers=cluster.rasa_headers)
        assert status.status_code == 200 and status.json()["model_file"].startswith("model-")
        # Nothing without the token can write into a conversation through the REST channel.
        anonymous = httpx.post(
            f"{url}/webhooks/rest/webhook", json={"sender": "anonymous", "message": "bonjour"}
        )
        assert anonymous.status_code == 401

    store = AtomicRedisLockStore(client=redis.Redis.from_url(REDIS_TEST_URL), key_prefix=redis_prefix)
    sender = "held-" + uuid.uuid4().hex
    ticket = store.issue_ticket(sender, 30)
    assert store.is_my_turn(sender, ticket)

    async def scenario() -> float:
        async with httpx.AsyncClient(timeout=30) as http:
            started = time.monotonic()
            request = asyncio.create_task(
                http.post(
                    f"{cluster.rasa_urls[1]}/webhooks/rest/webhook",
                    json={"sender": sender, "message": "bonjour"},
                    headers=cluster.rasa_headers,
                )
            )
            await asyncio.sleep(1.5)
            assert not request.done()  # Rasa waits for our ticket
            store.cleanup(sender, ticket)
            response = await request
            assert response.status_code == 200 and response.json()
            return time.monotonic() - started

    assert asyncio.run(scenario()) >= 1.5
    assert user_texts(cluster.tracker(sender)) == ["bonjour"]


def test_a_burst_straight_to_both_rasa_instances_loses_no_event(cluster: Cluster) -> None:
    """Ten concurrent REST calls for one sender, alternating instances: each turn is kept once."""
    sender = "burst-" + uuid.uuid4().hex
    texts = [text for text, _ in BURST]

    async def burst() -> list[int]:
        async with httpx.AsyncClient(timeout=60) as http:
            responses = await asyncio.gather(
                *(
                    http.post(
                        f"{cluster.rasa_urls[n % 2]}/webhooks/rest/webhook",
                        json={"sender": sender, "message": text},
                        headers=cluster.rasa_headers,
                    )
                    for n, text in enumerate(texts)
                )
            )
        return [r.status_code for r in responses]

    assert asyncio.run(burst()) == [200] * len(texts)
    events = cluster.tracker(sender)["events"]
    assert sorted(user_texts({"events": events})) == sorted(texts)
    # Each turn ran to its end before the next began: user, then its actions, then action_listen.
    kinds = [e["event"] for e in events if e["event"] in ("user", "action")]
    turns = [e.get("name") for e in events if e["event"] == "action"].count("action_listen")
    assert turns == len(texts) + 1  # the session start's listen, then one per message
    assert "user" not in [kinds[i + 1] for i, k in enumerate(kinds[:-1]) if k == "user"]


async def test_burst_to_one_conversation_over_both_gateways_is_answered_in_order(
    cluster: Cluster, clients: list[httpx.AsyncClient]
) -> None:
    conversation = await new_conversation(clients[0])

    async def one(index: int, text: str) -> tuple[int, list[dict[str, Any]], float]:
        await asyncio.sleep(index * 0.05)  # send order: A, B, A, B, ...
        started = time.monotonic()
        answers = await send(clients[index % 2], conversation, text)
        return index, answers, time.monotonic() - started

    started = time.monotonic()
    results = await asyncio.gather(*(one(i, text) for i, (text, _) in enumerate(BURST)))
    wall = time.monotonic() - started
    latencies = sorted(latency for _, _, latency in results)
    spread = f"{latencies[0]:.2f}-{latencies[-1]:.2f} s"
    print(f"\nburst of {len(BURST)} over 2 gateways: {wall:.2f} s, each request {spread}")

    stored = await transcript(clients[1], conversation)
    ids = [m["id"] for m in stored]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    inbound = [m for m in stored if m["role"] == "user"]
    assert sorted(m["text"] for m in inbound) == sorted(text for text, _ in BURST)  # each stored once
    for index, answers, _ in results:
        text, term = BURST[index]
        assert answers, f"no answer to {text!r}"
        position = next(i for i, m in enumerate(stored) if m["role"] == "user" and m["text"] == text)
        block = []  # what the transcript holds between this message and the next one of the person
        for message in stored[position + 1 :]:
            if message["role"] == "user":
                break
            block.append((message["role"], message["text"]))
        assert block == [(m["role"], m["text"]) for m in answers]  # its answer, right after it
        assert all(role == "bot" for role, _ in block)
        assert term in " ".join(m["text"] or "" for m in answers).lower(), (text, answers)
    for instance in (0, 1):  # each gateway kept its own requests in the order they were sent
        sent = [text for i, (text, _) in enumerate(BURST) if i % 2 == instance]
        assert [m["text"] for m in inbound if m["text"] in sent] == sent
    # Rasa saw the ten messages once each, in the order the gateways stored them.
    assert user_texts(cluster.tracker(conversation)) == [m["text"] for m in inbound]


async def test_two_conversations_proceed_in_parallel(clients: list[httpx.AsyncClient]) -> None:
    messages = [text for text, _ in BURST[:4]]

    async def talk(client: httpx.AsyncClient, conversation: str) -> None:
        for text in messages:
            assert await send(client, conversation, text)

    first, second = [await new_conversation(c) for c in clients]
    started = time.monotonic()
    await talk(clients[0], first)
    await talk(clients[1], second)
    in_sequence = time.monotonic() - started

    first, second = [await new_conversation(c) for c in clients]
    started = time.monotonic()
    await asyncio.gather(talk(clients[0], first), talk(clients[1], second))
    in_parallel = time.monotonic() - started
    print(f"\n2 x {len(messages)} messages: in sequence {in_sequence:.2f} s, in parallel {in_parallel:.2f} s")
    assert in_parallel < in_sequence


async def test_agent_on_a_answers_a_web_user_on_b(cluster: Cluster, clients: list[httpx.AsyncClient]) -> None:
    a, b = clients
    conversation = await new_conversation(b)
    ws_url = cluster.urls[1].replace("http://", "ws://") + f"/ws/conversations/{conversation}"
    async with websockets.connect(ws_url) as ws:
        await ws.send(
            json.dumps({"type": "payload", "payload": "/ask_human", "client_id": str(uuid.uuid4())})
        )
        await frames_until(ws, lambda f: f == {"type": "typing", "active": False})

        camille = await token(a, "camille")  # on A
        dominique = await token(b, "dominique")  # on B
        waiting = (await a.get("/api/handoffs", headers=camille)).json()["handoffs"]
        (handoff,) = [h for h in waiting if h["conversation_id"] == conversation]
        assert (await a.post(f"/api/handoffs/{handoff['id']}/claim", headers=camille)).status_code == 200
        again = await b.post(f"/api/handoffs/{handoff['id']}/claim", headers=dominique)
        assert again.status_code == 409, again.text

        async with a.stream("GET", f"/api/handoffs/{handoff['id']}/events", headers=camille) as stream:
            lines = stream.aiter_lines()
            assert await asyncio.wait_for(lines.__anext__(), 10) == "retry: 2000"
            reply = await a.post(
                f"/api/handoffs/{handoff['id']}/messages",
                headers=camille,
                json={"text": "Bonjour, ici Camille."},
            )
            assert reply.status_code == 201, reply.text
            pushed = await frames_until(
                ws, lambda f: f["type"] == "message" and f["message"]["role"] == "agent"
            )
            assert pushed[-1]["message"]["text"] == "Bonjour, ici Camille."  # the user on B got A's reply
            assert pushed[-1]["message"]["id"] == reply.json()["id"]

            # The person answers on B; the agent's live stream on A hears of it.
            await ws.send(json.dumps({"type": "message", "text": "Merci !", "client_id": str(uuid.uuid4())}))
            await frames_until(ws, lambda f: f["type"] == "message" and f["message"]["text"] == "Merci !")

            async def person_message() -> dict[str, Any]:
                async for line in lines:
                    event = json.loads(line[5:]) if line.startswith("data:") else {}
                    if event.get("event") == "message" and event["message"]["role"] == "user":
                        message: dict[str, Any] = event["message"]
                        return message
                raise AssertionError("stream ended")

            assert (await asyncio.wait_for(person_message(), 10))["text"] == "Merci !"
    stored = await transcript(a, conversation)
    assert [m["text"] for m in stored if m["role"] == "agent"] == ["Bonjour, ici Camille."]
    assert stored[-1]["role"] == "user" and stored[-1]["text"] == "Merci !"


async def test_one_gateway_over_several_rasa_instances_skips_one_that_is_down(cluster: Cluster) -> None:
    """RASA_URL listing a Rasa that refuses connections, then both real ones: every message is
    answered at once, by the instances that are up, with the dialogue intact."""
    dead = f"http://127.0.0.1:{free_port()}"
    settings = cluster.rasa.copy(
        update={"port": free_port(), "rasa_url": ",".join([dead, *cluster.rasa_urls])}
    )
    assert settings.rasa_base_urls == [dead, *cluster.rasa_urls]
    with serve(settings, "gateway-c") as url:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            conversations = [await new_conversation(client) for _ in range(2)]

            async def talk(conversation: str) -> list[str]:
                answers = []
                for text, expected in BURST[:4]:
                    replies = await send(client, conversation, text)
                    assert all(m["role"] == "bot" for m in replies), replies  # no delayed-answer notice
                    answers.append(" ".join(m["text"] or "" for m in replies).lower())
                    assert expected in answers[-1], (text, answers[-1])
                return answers

            await asyncio.gather(*(talk(c) for c in conversations))
    for conversation in conversations:
        assert user_texts(cluster.tracker(conversation)) == [text for text, _ in BURST[:4]]
