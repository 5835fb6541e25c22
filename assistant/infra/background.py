"""A background task per gateway process, started and stopped with the application."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Optional


class BackgroundTask:
    """Subclasses write `_loop`; `start` runs it once per process, `stop` cancels it and waits."""

    task_name = "background"

    _task: Optional[asyncio.Task[None]] = None

    async def _loop(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name=self.task_name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
