"""Argon2 hashing and verification off the event loop, in a small bounded pool of threads.

One verification costs about 0.1 to 0.4 s of CPU (argon2id, 64 MiB): run on the event loop, a
flood of bad logins stalled every request of the gateway. Here at most `workers` run at once (the
argon2 library releases the GIL while it works) and at most `waiting` more wait for a thread;
beyond that, `PasswordWorkersBusy` is raised at once and the login is refused (429), so that a
flood neither stalls the event loop nor piles up work. The threads run at a lower CPU priority
than the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHING_NICENESS = 10  # the hashing threads yield the CPU to the event loop (Linux: per thread)


def _lower_priority() -> None:
    """Run in each hashing thread: below the event loop's priority, so that logins never take the
    CPU from the requests being served (a no-op where threads have no priority of their own)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


class PasswordWorkersBusy(RuntimeError):
    """Every thread is busy and the queue is full: the login is refused without verifying."""


class PasswordWorkers:
    def __init__(self, workers: int = 1, waiting: int = 8, hasher: Optional[PasswordHasher] = None) -> None:
        self.hasher = hasher or PasswordHasher()
        self.workers = workers
        self._slots = workers + waiting
        self._in_flight = 0
        self._pool: Optional[ThreadPoolExecutor] = None  # created on first use: no thread at import
        self._dummy_hash: Optional[str] = None

    @property
    def full(self) -> bool:
        """Every thread busy and the queue full: a login now would be refused."""
        return self._in_flight >= self._slots

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(
                max_workers=self.workers, thread_name_prefix="argon2", initializer=_lower_priority
            )
        return self._pool

    async def _run(self, function: object, *args: str) -> object:
        if self.full:
            raise PasswordWorkersBusy("password verification queue full")
        self._in_flight += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor(), function, *args)  # type: ignore[arg-type]
        finally:
            self._in_flight -= 1

    async def hash(self, password: str) -> str:
        return str(await self._run(self.hasher.hash, password))

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return bool(self.hasher.verify(password_hash, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    async def verify(self, password_hash: Optional[str], password: str) -> bool:
        """False for a wrong password; an unknown user (`None`) costs a verification all the same
        (against a hash made once), so that the answer's timing does not tell who exists."""
        if password_hash is None:
            if self._dummy_hash is None:
                self._dummy_hash = await self.hash("not-a-real-password")
            await self._run(self._verify, self._dummy_hash, password)
            return False
        return bool(await self._run(self._verify, password_hash, password))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
