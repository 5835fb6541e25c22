"""Issue #27, finding 1: a login flood with random usernames must not stall the gateway.

The gateway runs in its own process (as in production), the flood in another one (16 clients
posting bad logins with random usernames for 4 s, as in the attack), the measurements in this one:
`/healthz` and a citizen's message, idle first (the baseline), then under the flood. Before the
fix, a message took a median of 8.5 s under this flood here (passwords verified on the event loop;
3.3 s for `/healthz` in the attack report); the bound is 200 ms."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.fake_rasa import FakeRasa
from tests.gateway.flood_support import gateway_process, start_flood

FLOOD_CLIENTS = 16
FLOOD_SECONDS = 4.0
BOUND = 0.200  # seconds: the median the issue asks for, under the flood


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    server = FakeRasa()
    yield server
    server.close()


def _series(url: str, until: float, request: Callable[[httpx.Client], httpx.Response]) -> list[float]:
    """Latencies of `request`, one after the other (50 ms apart) until `until`."""
    latencies: list[float] = []
    with httpx.Client(base_url=url, timeout=30) as client:
        while time.monotonic() < until:
            started = time.perf_counter()
            response = request(client)
            latencies.append(time.perf_counter() - started)
            assert response.status_code in (200, 429), response.text  # 429: the citizen's own limit
            time.sleep(0.05)
    return latencies


def _sample(url: str, conversation: str, until: float) -> tuple[list[float], list[float]]:
    """`/healthz` and a citizen's message, each in its own thread, so that a slow one does not
    thin the other's samples."""

    def message(client: httpx.Client) -> httpx.Response:
        return client.post(f"/api/conversations/{conversation}/messages", json={"text": "je déménage"})

    with ThreadPoolExecutor(max_workers=2) as pool:
        health = pool.submit(_series, url, until, lambda client: client.get("/healthz"))
        messages = pool.submit(_series, url, until, message)
        return health.result(), messages.result()


@pytest.mark.parametrize(
    ("clients", "spoof"),
    [(FLOOD_CLIENTS, False), (FLOOD_CLIENTS, True), (4 * FLOOD_CLIENTS, True)],
    ids=["16-clients-one-address", "16-clients-many-addresses", "64-clients-many-addresses"],
)
def test_healthz_and_messages_stay_fast_under_a_login_flood(
    tmp_path: Path, fake_rasa: FakeRasa, clients: int, spoof: bool
) -> None:
    env = {"FORWARDED_ALLOW_IPS": "127.0.0.1"} if spoof else {}
    with (
        gateway_process(tmp_path, fake_rasa.url, **env) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        conversation = client.post("/api/conversations").json()["id"]
        idle_health, idle_messages = _sample(url, conversation, time.monotonic() + 1.0)
        flood = start_flood(url, clients, FLOOD_SECONDS, spoof=spoof)
        time.sleep(0.5)  # the flood is running
        health, messages = _sample(url, conversation, time.monotonic() + FLOOD_SECONDS - 1.0)
        out, _ = flood.communicate(timeout=60)
    counts = {status: int(n) for status, n in (pair.split(":") for pair in out.split())}
    report = (
        f"healthz idle {statistics.median(idle_health) * 1000:.1f} ms, "
        f"under flood {statistics.median(health) * 1000:.1f} ms; message idle "
        f"{statistics.median(idle_messages) * 1000:.1f} ms, under flood "
        f"{statistics.median(messages) * 1000:.1f} ms; flood answers {counts}"
    )
    print(report)
    # The flood did run and was answered: refused logins are held a second (LOGIN_REFUSAL_DELAY),
    # so each client sends about one login a second.
    assert sum(counts.values()) >= 2 * clients, report
    assert set(counts) <= {"401", "429"}, report  # refused, never a 5xx
    assert counts.get("429", 0) > 0, report  # limited...
    if not spoof:  # ...one address at its own limit (LOGIN_ATTEMPTS_PER_CLIENT, 30 by default)
        assert counts.get("401", 0) <= 30, report
    assert statistics.median(health) < BOUND, report
    assert statistics.median(messages) < BOUND, report
