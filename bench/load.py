"""Bounded async load: N simulated people, each running scripted conversations until a deadline."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass, field
from typing import Optional, TypeVar

import httpx

from bench.conversation import Script, Turn
from bench.targets import Delayed, Target

T = TypeVar("T")


@dataclass(frozen=True)
class Shape:
    name: str
    concurrency: int
    pause: float  # seconds between a reply and the next message of the same conversation


INTERACTIVE = Shape("interactive", concurrency=20, pause=1.0)
SATURATION = Shape("saturation", concurrency=40, pause=0.0)


@dataclass
class ShapeResult:
    latencies: list[float] = field(default_factory=list)  # seconds, successful turns only
    errors: dict[str, int] = field(default_factory=dict)
    conversations: int = 0
    elapsed: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def _error_kind(exc: Exception) -> str:
    if isinstance(exc, Delayed):
        return "delayed_answer"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"http_{exc.response.status_code}"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    return type(exc).__name__


async def _timed(result: ShapeResult, call: Awaitable[T]) -> Optional[T]:
    """Await one request; record its latency, or the kind of error and None."""
    started = time.perf_counter()
    try:
        value = await call
    except (httpx.HTTPError, Delayed, ValueError, KeyError) as exc:
        result.error(_error_kind(exc))
        return None
    result.latencies.append(time.perf_counter() - started)
    return value


async def _person(
    target: Target,
    client: httpx.AsyncClient,
    shape: Shape,
    deadline: float,
    seeds: Iterator[int],
    result: ShapeResult,
) -> None:
    """Run conversations one after the other; abandon a conversation after an error."""
    if shape.pause:
        await asyncio.sleep(random.uniform(0, shape.pause))  # noqa: S311 - spread the first requests
    while time.monotonic() < deadline:
        opened = await _timed(result, target.open(client))
        if opened is None:
            await asyncio.sleep(max(shape.pause, 0.1))  # no busy loop when the target is down
            continue
        result.conversations += 1
        conversation, replies = opened
        script = Script(next(seeds))
        turn: Optional[Turn] = script.next_turn(replies)
        while turn is not None:
            if shape.pause:
                await asyncio.sleep(shape.pause)
            if time.monotonic() >= deadline:
                return
            answered = await _timed(result, target.send(client, conversation, turn))
            if answered is None:
                break
            turn = script.next_turn(answered)
        if shape.pause:
            await asyncio.sleep(shape.pause)


async def run_shape(target: Target, shape: Shape, duration: float, timeout: float = 30.0) -> ShapeResult:
    """Drive `shape` against `target` for `duration` seconds; requests in flight may finish after.

    Every loop ends by itself at the deadline; a last guard cancels what is still running
    `timeout` seconds after it (a request can never take longer than that anyway).
    """
    result = ShapeResult()
    limits = httpx.Limits(max_connections=shape.concurrency, max_keepalive_connections=shape.concurrency)
    seeds = itertools.count(1)
    started = time.monotonic()
    deadline = started + duration
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        people = [
            asyncio.create_task(_person(target, client, shape, deadline, seeds, result))
            for _ in range(shape.concurrency)
        ]
        _, late = await asyncio.wait(people, timeout=duration + timeout + 5)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
    result.elapsed = time.monotonic() - started
    return result
