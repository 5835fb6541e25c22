"""The atomic lock store against real Redis, under contention."""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from assistant.rasa.lock_store import AtomicRedisLockStore
from tests.conftest import REDIS_TEST_URL

THREADS = 8
ROUNDS = 25


@pytest.fixture
def client() -> Iterator[redis.Redis[bytes]]:
    red: redis.Redis[bytes] = redis.Redis.from_url(REDIS_TEST_URL)
    yield red
    red.close()


def atomic(prefix: str) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(client=redis.Redis.from_url(REDIS_TEST_URL), key_prefix=prefix)


def in_threads(count: int, work: Callable[[int], None]) -> None:
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            work(index)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def lost_tickets(make_store: Callable[[], LockStore]) -> tuple[int, int]:
    """THREADS threads issue one ticket each at the same moment, ROUNDS times; (lost, duplicated)."""
    stores = [make_store() for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    issued: dict[int, list[int]] = {r: [] for r in range(ROUNDS)}
    guard = threading.Lock()

    def work(index: int) -> None:
        for round_ in range(ROUNDS):
            barrier.wait()
            number = stores[index].issue_ticket(f"conv{round_}", 30)
            with guard:
                issued[round_].append(number)

    in_threads(THREADS, work)
    lost = duplicated = 0
    for round_ in range(ROUNDS):
        lock = stores[0].get_lock(f"conv{round_}")
        kept = {t.number for t in lock.tickets} if lock else set()
        lost += THREADS - len(kept)
        duplicated += THREADS - len(set(issued[round_]))
        stores[0].delete_lock(f"conv{round_}")
    return lost, duplicated


def test_tickets_issued_at_once_are_never_lost_nor_given_twice(redis_prefix: str) -> None:
    """Rasa's own RedisLockStore loses tickets here (read, change in Python, write back: 83 to 113
    of 200 lost when measured); ours issues them with atomic scripts."""
    assert lost_tickets(lambda: atomic(redis_prefix + "ours")) == (0, 0)


def test_concurrent_holders_never_overlap_and_are_served_in_ticket_order(redis_prefix: str) -> None:
    prefix = redis_prefix + "order"
    stores = [atomic(prefix) for _ in range(THREADS)]
    served: list[int] = []
    holders = 0
    overlaps = 0
    guard = threading.Lock()

    async def hold(store: AtomicRedisLockStore) -> None:
        nonlocal holders, overlaps
        for _ in range(5):
            ticket = store.issue_ticket("shared", 30)
            try:
                await store._acquire_lock("shared", ticket, 1)
                with guard:
                    holders += 1
                    overlaps += holders > 1
                    served.append(ticket)
                await asyncio.sleep(0.005)
                with guard:
                    holders -= 1
            finally:
                store.cleanup("shared", ticket)

    in_threads(THREADS, lambda i: asyncio.run(hold(stores[i])))
    assert overlaps == 0
    assert len(served) == 5 * THREADS
    assert served == sorted(served)  # every ticket served, in the order it was issued
    assert stores[0].get_lock("shared") is None  # the last one out deleted the lock


async def test_lock_context_serialises_rasa_callers(redis_prefix: str) -> None:
    """`LockStore.lock()`, as MessageProcessor uses it, from several stores on one event loop."""
    stores = [atomic(redis_prefix + "ctx") for _ in range(4)]
    inside: list[int] = []
    order: list[int] = []

    async def call(index: int) -> None:
        await asyncio.sleep(index * 0.01)  # tickets issued in index order
        async with stores[index].lock("conv"):
            inside.append(index)
            assert len(inside) == 1
            order.append(index)
            await asyncio.sleep(0.05)
            inside.remove(index)

    await asyncio.gather(*(call(i) for i in range(4)))
    assert order == [0, 1, 2, 3]


async def test_a_crashed_holder_blocks_no_longer_than_the_lock_lifetime(
    redis_prefix: str, client: redis.Redis[bytes]
) -> None:
    store = atomic(redis_prefix + "crash")
    store.issue_ticket("conv", 0.5)  # never finished: its instance died
    keys = store._keys("conv")
    assert 0 < client.pttl(keys[1]) <= 500  # Redis forgets the lock by itself
    started = time.monotonic()
    async with store.lock("conv", lock_lifetime=5):
        waited = time.monotonic() - started
    assert 0.3 < waited < 2
    assert client.exists(*keys) == 0


async def test_an_expired_ticket_is_refused(redis_prefix: str) -> None:
    store = atomic(redis_prefix + "expired")
    store.issue_ticket("conv", 30)  # someone else is served for a long time
    ticket = store.issue_ticket("conv", 0.2)
    await asyncio.sleep(0.3)
    with pytest.raises(LockError):
        await store._acquire_lock("conv", ticket, 1)


def test_rasa_loads_it_from_the_endpoints_with_their_fields(redis_prefix: str) -> None:
    prefix = redis_prefix + "endpoint" + secrets.token_hex(2)
    config = EndpointConfig(
        url="127.0.0.1",
        type="assistant.rasa.lock_store.AtomicRedisLockStore",
        port=6379,
        db=15,
        password=None,
        use_ssl=False,
        key_prefix=prefix,
    )
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.issue_ticket("conv") == 1
    assert store.issue_ticket("conv") == 2
    lock = store.get_lock("conv")
    assert lock is not None and [t.number for t in lock.tickets] == [1, 2]
    assert lock.now_serving == 1 and not lock.is_locked(1) and lock.is_locked(2)
    lock.remove_ticket_for(1)
    store.save_lock(lock)  # Rasa's read-modify-write API still works, for callers that use it
    assert store.is_my_turn("conv", 2)
    store.cleanup("conv", 2)
    assert not store.is_someone_waiting("conv")
    assert store.red.keys(f"{prefix}:*") == []


def test_the_redis_host_comes_from_the_endpoint_configuration() -> None:
    with pytest.raises(ValueError, match="REDIS_URL"):
        AtomicRedisLockStore(EndpointConfig(url=None, key_prefix="x"))
