"""Rasa's ticket lock in Redis, made of atomic operations: safe with several Rasa instances.

Rasa's own `RedisLockStore` reads the whole lock, changes it in Python and writes it back, so
two instances issuing a ticket at the same time can both read the same lock and one of the two
tickets is lost (both may then believe it is their turn). Here every step is one Lua script run
by Redis: ticket numbers come from a counter, each ticket has its own expiry (Redis' clock, so
instances need not agree on the time), and a crashed holder blocks its conversation no longer
than the lock lifetime (TICKET_LOCK_LIFETIME, 60 s by default).

Imported by the Rasa process only (endpoints: `lock_store.type`); the gateway never imports Rasa.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Optional

import redis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger(__name__)

POLL_SECONDS = 0.02  # between two "is it my turn?" checks; Rasa's own store waits 1 s

# KEYS: counter, tickets (sorted set: ticket number -> number), expiries (hash: number -> ms)
_PURGE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local expiries = redis.call('HGETALL', KEYS[3])
for i = 1, #expiries, 2 do
  if tonumber(expiries[i + 1]) <= now_ms then
    redis.call('ZREM', KEYS[2], expiries[i])
    redis.call('HDEL', KEYS[3], expiries[i])
  end
end
"""

ISSUE = (
    _PURGE
    + """
local lifetime = tonumber(ARGV[1])
local number = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], number, number)
redis.call('HSET', KEYS[3], number, now_ms + lifetime)
local keep = math.max(lifetime, redis.call('PTTL', KEYS[2]))
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], keep) end
return number
"""
)

# 1: this ticket is served now; 0: wait; -1: this ticket is gone (expired)
TURN = (
    _PURGE
    + """
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then return -1 end
local first = redis.call('ZRANGE', KEYS[2], 0, 0)
if first[1] == ARGV[1] then return 1 end
return 0
"""
)

# Removes the ticket; deletes the whole lock when nobody else holds a ticket. Returns those left.
FINISH = (
    _PURGE
    + """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
local left = redis.call('ZCARD', KEYS[2])
if left == 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) end
return left
"""
)

PURGE = _PURGE + "\nreturn redis.call('ZCARD', KEYS[2])\n"

# ARGV: ticket number, expiry in ms, ... (replaces the whole lock; Rasa's `save_lock` contract)
SAVE = """
redis.call('DEL', KEYS[2], KEYS[3])
local last = 0
local keep = 0
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
for i = 1, #ARGV, 2 do
  redis.call('ZADD', KEYS[2], ARGV[i], ARGV[i])
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
  last = math.max(last, tonumber(ARGV[i]))
  keep = math.max(keep, tonumber(ARGV[i + 1]) - now_ms)
end
if last == 0 then redis.call('DEL', KEYS[1]) return 0 end
local counter = tonumber(redis.call('GET', KEYS[1]) or '0')
if counter < last then redis.call('SET', KEYS[1], last) end
keep = math.max(keep, 1000)
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], keep) end
return #ARGV / 2
"""


class AtomicRedisLockStore(LockStore):  # type: ignore[misc]
    """Rasa's `LockStore` contract (`lock()`, tickets, cleanup) with one Lua script per step."""

    def __init__(
        self,
        endpoint_config: Optional[EndpointConfig] = None,
        *,
        client: Optional[redis.Redis] = None,  # type: ignore[type-arg]
        key_prefix: Optional[str] = None,
    ) -> None:
        config: dict[str, Any] = dict(endpoint_config.kwargs) if endpoint_config else {}
        if client is None:
            if endpoint_config is None or not endpoint_config.url:
                raise ValueError("lock_store: the Redis host (url) comes from REDIS_URL, none was given")
            client = redis.Redis(
                host=endpoint_config.url,
                port=int(config.get("port", 6379)),
                db=int(config.get("db", 0)),
                username=config.get("username"),
                password=config.get("password"),
                ssl=bool(config.get("use_ssl", False)),
                socket_timeout=float(config.get("socket_timeout", 10)),
            )
        self.red = client
        prefix = key_prefix if key_prefix is not None else str(config.get("key_prefix") or "")
        self.key_prefix = f"{prefix}:lock:" if prefix else "lock:"
        self._issue = client.register_script(ISSUE)
        self._turn = client.register_script(TURN)
        self._finish = client.register_script(FINISH)
        self._purge = client.register_script(PURGE)
        self._save = client.register_script(SAVE)
        super().__init__()

    def _keys(self, conversation_id: str) -> list[str]:
        base = f"{self.key_prefix}{{{conversation_id}}}"  # one hash slot per conversation
        return [f"{base}:counter", f"{base}:tickets", f"{base}:expires"]

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            number = self._issue(keys=self._keys(conversation_id), args=[int(lock_lifetime * 1000)])
        except redis.RedisError as exc:
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc
        return int(number)

    def is_my_turn(self, conversation_id: str, ticket: int) -> bool:
        """True when `ticket` is the oldest live one; LockError once it has expired."""
        state = int(self._turn(keys=self._keys(conversation_id), args=[ticket]))
        if state < 0:
            raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
        return state == 1

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            self.cleanup(conversation_id, ticket)

    async def _acquire_lock(
        self, conversation_id: str, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        pause = min(wait_time_in_seconds, POLL_SECONDS)
        while not self.is_my_turn(conversation_id, ticket):
            await asyncio.sleep(pause)
        return self.get_lock(conversation_id) or TicketLock(conversation_id)

    def update_lock(self, conversation_id: str) -> None:
        self._purge(keys=self._keys(conversation_id))

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._finish(keys=self._keys(conversation_id), args=[ticket_number])

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket, and the lock when nobody waits, in one step."""
        self.finish_serving(conversation_id, ticket_number)

    def is_someone_waiting(self, conversation_id: str) -> bool:
        return int(self._purge(keys=self._keys(conversation_id))) > 0

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        keys = self._keys(conversation_id)
        self._purge(keys=keys)
        numbers = [int(n) for n in self.red.zrange(keys[1], 0, -1)]
        if not numbers:
            return None
        expiries = self.red.hmget(keys[2], [str(n) for n in numbers])
        tickets = [
            Ticket(number, int(expires) / 1000)
            for number, expires in zip(numbers, expiries, strict=True)
            if expires is not None
        ]
        return TicketLock(conversation_id, deque(tickets)) if tickets else None

    def save_lock(self, lock: TicketLock) -> None:
        args: list[int] = []
        for ticket in lock.tickets:
            args += [int(ticket.number), int(ticket.expires * 1000)]
        self._save(keys=self._keys(lock.conversation_id), args=args)

    def delete_lock(self, conversation_id: str) -> None:
        deleted = self.red.delete(*self._keys(conversation_id))
        self._log_deletion(conversation_id, bool(deleted))
