"""Engine lifecycle: created in the application's lifespan, never at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from assistant.storage.tables import metadata


class StorageUnavailable(RuntimeError):
    """The record store cannot be reached."""


class Database:
    """Thin owner of an async engine; repositories take connections from it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: AsyncEngine | None = None

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise StorageUnavailable("database not started")
        return self._engine

    async def start(self) -> None:
        kwargs: dict[str, object] = {}
        if self.url.startswith("sqlite"):
            path = self.url.split(":///", 1)[1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
            # SQLAlchemy 1.4 opens a new SQLite file connection per transaction (NullPool): keep a
            # few open instead, the gateway's own cost per message is mostly in those opens.
            # Every use is a transaction that ends in a commit or a rollback (`connect`): no reset
            # (one more rollback, a round trip through aiosqlite's thread) when it goes back.
            kwargs.update(
                poolclass=AsyncAdaptedQueuePool, pool_size=5, max_overflow=5, pool_reset_on_return=None
            )
        else:
            kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=10)
        self._engine = create_async_engine(self.url, future=True, **kwargs)
        if self.url.startswith("sqlite"):
            sa.event.listen(self._engine.sync_engine, "connect", _sqlite_pragmas)
        async with self.connect() as conn:
            await conn.run_sync(metadata.create_all)

    async def stop(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        """A transaction: committed on success, rolled back on error."""
        try:
            async with self.engine.begin() as conn:
                yield conn
        except (OperationalError, InterfaceError, OSError) as exc:
            raise StorageUnavailable(_first_line(exc)) from exc
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            raise StorageUnavailable(_first_line(exc)) from exc

    async def ping(self) -> bool:
        try:
            async with self.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
            return True
        except StorageUnavailable:
            return False


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
