"""Latency the gateway adds at light load: one conversation at a time, gateway vs Rasa behind it."""

from __future__ import annotations

import statistics
import time
from typing import Any

import httpx

from bench.conversation import Script
from bench.targets import Delayed, Target


async def sequential(target: Target, seed: int, timeout: float = 30.0) -> list[float]:
    """One scripted conversation, each message sent after the previous reply; latencies in s."""
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=timeout) as client:
        started = time.perf_counter()
        conversation, replies = await target.open(client)
        latencies.append(time.perf_counter() - started)
        script = Script(seed)
        turn = script.next_turn(replies)
        while turn is not None:
            started = time.perf_counter()
            replies = await target.send(client, conversation, turn)
            latencies.append(time.perf_counter() - started)
            turn = script.next_turn(replies)
    return latencies


async def measure_overhead(gateway: Target, rasa: Target, rounds: int = 3) -> dict[str, Any]:
    """Same scripts (same seeds, so the same buttons) through both; paired per message."""
    differences: list[float] = []
    through_gateway: list[float] = []
    direct: list[float] = []
    try:
        for seed in range(1000, 1000 + rounds):
            ours = await sequential(gateway, seed)
            theirs = await sequential(rasa, seed)
            through_gateway += ours
            direct += theirs
            differences += [a - b for a, b in zip(ours, theirs, strict=False)]
    except (httpx.HTTPError, Delayed, ValueError, KeyError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {
        "rounds": rounds,
        "messages": len(differences),
        "gateway_p50_ms": round(statistics.median(through_gateway) * 1000, 2),
        "rasa_p50_ms": round(statistics.median(direct) * 1000, 2),
        "median_difference_ms": round(statistics.median(differences) * 1000, 2),
    }
