"""The load generator against a tiny local HTTP app: bounded, counts latencies and errors."""

from __future__ import annotations

import time

import pytest

from bench.load import Shape, run_shape
from bench.overhead import measure_overhead, sequential
from bench.targets import GatewayTarget, RasaRestTarget
from tests.bench.fake_bot import serve

FAST = Shape("test", concurrency=4, pause=0.05)


async def test_gateway_load_is_bounded_and_error_free() -> None:
    with serve() as url:
        started = time.monotonic()
        result = await run_shape(GatewayTarget(url), FAST, duration=1.5, timeout=5)
        assert time.monotonic() - started < 8
    assert result.errors == {}
    assert result.conversations >= 4
    assert len(result.latencies) > 10
    assert 1.5 <= result.elapsed < 8


async def test_rasa_rest_load_without_pause() -> None:
    with serve() as url:
        result = await run_shape(RasaRestTarget(url), Shape("sat", 3, 0.0), duration=1.0, timeout=5)
    assert result.errors == {} and len(result.latencies) > 20


@pytest.mark.parametrize(("mode", "kind"), [("delayed", "delayed_answer"), ("error", "http_500")])
async def test_errors_are_counted(mode: str, kind: str) -> None:
    with serve(mode) as url:
        result = await run_shape(GatewayTarget(url), FAST, duration=1.0, timeout=5)
    assert set(result.errors) == {kind}
    # each conversation is abandoned at its error (the last ones may meet the deadline first)
    assert result.conversations - FAST.concurrency <= result.errors[kind] <= result.conversations


async def test_unreachable_target_is_bounded() -> None:
    result = await run_shape(GatewayTarget("http://127.0.0.1:9"), Shape("x", 2, 0.0), duration=0.5, timeout=1)
    assert result.latencies == [] and result.error_count >= 2
    assert result.elapsed < 3


async def test_sequential_and_overhead() -> None:
    with serve() as url:
        latencies = await sequential(GatewayTarget(url), seed=1)
        overhead = await measure_overhead(GatewayTarget(url), RasaRestTarget(url), rounds=2)
    assert len(latencies) == 9  # opening + 8 messages
    assert overhead["messages"] == 18
    assert isinstance(overhead["median_difference_ms"], float)
