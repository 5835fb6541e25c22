"""Issue #27, finding 1: argon2 runs off the event loop, in a bounded pool."""

from __future__ import annotations

import asyncio
import os
import statistics
import threading
import time

from argon2 import PasswordHasher

from assistant.auth.passwords import PasswordWorkers, PasswordWorkersBusy


async def _loop_lag_during(work: asyncio.Future[list[bool]]) -> float:
    """The longest the event loop was unavailable (10 ms ticks) while `work` ran."""
    worst = 0.0
    while not work.done():
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        worst = max(worst, time.perf_counter() - started - 0.01)
    await work
    return worst


def test_verification_leaves_the_event_loop_free() -> None:
    """Three full-cost verifications (0.1 to 0.4 s each here) while the loop keeps ticking."""
    workers = PasswordWorkers(workers=1, waiting=4)

    async def scenario() -> tuple[float, float]:
        password_hash = await workers.hash("mot-de-passe-solide")
        started = time.perf_counter()
        work: asyncio.Future[list[bool]] = asyncio.gather(
            *(workers.verify(password_hash, "mauvais") for _ in range(3))
        )
        lag = await _loop_lag_during(work)
        return lag, time.perf_counter() - started

    lag, total = asyncio.run(scenario())
    workers.close()
    assert total > 0.1  # the work really took time...
    assert lag < 0.1  # ...and the loop never waited for it


def test_the_pool_is_bounded_and_refuses_beyond_its_queue() -> None:
    workers = PasswordWorkers(workers=1, waiting=1)

    async def scenario() -> list[object]:
        password_hash = await workers.hash("mot-de-passe-solide")
        return await asyncio.gather(
            *(workers.verify(password_hash, "mauvais") for _ in range(4)), return_exceptions=True
        )

    results = asyncio.run(scenario())
    workers.close()
    assert results[:2] == [False, False]
    assert all(isinstance(r, PasswordWorkersBusy) for r in results[2:])


def test_right_and_wrong_passwords() -> None:
    workers = PasswordWorkers(hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))

    async def scenario() -> tuple[bool, bool]:
        password_hash = await workers.hash("mot-de-passe-solide")
        return await workers.verify(password_hash, "mot-de-passe-solide"), await workers.verify(
            password_hash, "autre"
        )

    assert asyncio.run(scenario()) == (True, False)
    workers.close()


def test_an_unknown_user_costs_a_verification_too() -> None:
    """Timing does not tell whether a username exists: both pay one argon2 verification."""
    workers = PasswordWorkers()

    async def timings() -> tuple[list[float], list[float]]:
        password_hash = await workers.hash("mot-de-passe-solide")
        await workers.verify(None, "x")  # the dummy hash is made once, not timed
        known, unknown = [], []
        for _ in range(5):
            started = time.perf_counter()
            assert not await workers.verify(password_hash, "mauvais")
            known.append(time.perf_counter() - started)
            started = time.perf_counter()
            assert not await workers.verify(None, "mauvais")
            unknown.append(time.perf_counter() - started)
        return known, unknown

    known, unknown = asyncio.run(timings())
    workers.close()
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2.0, (known, unknown)


def test_hashing_threads_run_below_the_event_loop_priority() -> None:
    workers = PasswordWorkers(hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))

    def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    async def scenario() -> tuple[int, int]:
        loop = asyncio.get_running_loop()
        await workers.hash("x")  # the pool's thread exists
        in_pool = await loop.run_in_executor(workers._executor(), niceness)
        return niceness(), in_pool

    mine, pool = asyncio.run(scenario())
    workers.close()
    assert pool > mine
