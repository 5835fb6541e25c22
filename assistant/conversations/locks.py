"""One conversation's messages go through one at a time: in this process, or across instances."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

log = logging.getLogger(__name__)

POLL_SECONDS = 0.02  # between two attempts at a lock another instance holds


class ConversationLocks:
    """One asyncio lock per conversation, so a conversation's messages go through in order."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation_id] = lock
        async with lock:
            yield

    def busy(self, conversation_id: str) -> bool:
        """Whether this process is answering a message of the conversation right now."""
        lock = self._locks.get(conversation_id)
        return lock is not None and lock.locked()


class RedisConversationLocks(ConversationLocks):
    """The local lock, then a Redis lock shared by every gateway instance.

    redis-py's lock: SET NX with a lease and a random token, released and renewed by Lua scripts
    that check the token. The holder renews the lease while it works, so a crashed instance blocks
    the conversation for `lease_seconds` at most; a live one never loses it to a slow Rasa.
    Redis unreachable: the local lock only, with a warning (no 503: the message is stored and kept).
    """

    def __init__(self, client: Redis[bytes], prefix: str, lease_seconds: float = 30.0) -> None:
        super().__init__()
        self.client = client
        self.prefix = prefix
        self.lease = lease_seconds

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        async with super().hold(conversation_id):  # waiters of this instance queue here, not in Redis
            lock = self.client.lock(
                f"{self.prefix}:conversation-lock:{conversation_id}",
                timeout=self.lease,
                sleep=POLL_SECONDS,
                thread_local=False,
            )
            try:
                await lock.acquire()
            except RedisError as exc:
                # Redis down: this instance's lock only; the SQL claim of each pending message
                # still keeps two instances from sending it twice, and the message is kept.
                log.warning("conversation lock in this process only, Redis unavailable: %s", exc)
                yield
                return
            renewal = asyncio.create_task(self._renew(lock, conversation_id))
            try:
                yield
            finally:
                renewal.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewal
                try:
                    await lock.release()
                except (LockError, RedisError) as exc:  # expired meanwhile, or Redis went away
                    log.warning("conversation lock not released: %s", exc)

    async def _renew(self, lock: Lock, conversation_id: str) -> None:
        while True:
            await asyncio.sleep(self.lease / 3)
            try:
                await lock.reacquire()
            except (LockError, RedisError) as exc:
                extra = {"conversation_id": conversation_id}
                log.warning("conversation lock lease lost: %s", exc, extra=extra)
                return
