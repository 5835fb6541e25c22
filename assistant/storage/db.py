"""Engine lifecycle: created in the application's lifespan, never at import time.

The schema comes from the migrations (`migrate.py`), not from `metadata.create_all`: at start, a
database is brought to the head revision when DB_AUTO_MIGRATE is on (the default in development
and test), and otherwise only checked (`SchemaOutdated` when it is behind: `assistant db upgrade`).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Optional, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from assistant.storage.migrate import SchemaOutdated, SchemaState, schema_state, upgrade

log = logging.getLogger(__name__)
T = TypeVar("T")


class StorageUnavailable(RuntimeError):
    """The record store cannot be reached."""


class Database:
    """Thin owner of an async engine; repositories take connections from it."""

    def __init__(self, url: str, migrate: Optional[bool] = None) -> None:
        """`migrate`: upgrade the schema at start (True), only check it (False), or, by default,
        as DB_AUTO_MIGRATE says."""
        self.url = url
        self.migrate = migrate
        self._engine: AsyncEngine | None = None

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise StorageUnavailable("database not started")
        return self._engine

    async def start(self) -> None:
        self.open()
        await self.prepare_schema()

    def open(self) -> None:
        """The engine alone, schema untouched (`start` also prepares the schema)."""
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

    async def prepare_schema(self) -> None:
        migrate_now = self.migrate
        if migrate_now is None:
            from assistant.config import read_settings

            migrate_now = read_settings().auto_migrate
        if migrate_now:
            await self.upgrade()
            return
        state = await self.schema_state()
        if state.unknown:  # a newer release migrated already: its migrations only add (operations.md)
            log.warning("database schema is ahead of this code: %s", state.describe())
        elif state.behind:
            raise SchemaOutdated(
                f"schéma de la base en retard ({state.describe()}) : lancez `assistant db upgrade`"
            )

    async def upgrade(self, revision: str = "head") -> SchemaState:
        """Bring the schema to `revision` (the head by default)."""
        async with _alembic_lock():
            await self.run_sync(lambda conn: upgrade(conn, revision))
        return await self.schema_state()

    async def schema_state(self) -> SchemaState:
        return await self.run_sync(schema_state)

    async def run_sync(self, work: Callable[[sa.engine.Connection], T]) -> T:
        """`work` on a sync facade of one connection, outside any transaction (it manages its own)."""
        try:
            async with self.engine.connect() as conn:
                result: Any = await conn.run_sync(work)
                return result  # type: ignore[no-any-return]
        except (OperationalError, InterfaceError, OSError) as exc:
            raise StorageUnavailable(_first_line(exc)) from exc

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


_ALEMBIC_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _alembic_lock() -> asyncio.Lock:
    """Alembic runs through module-level proxies (`alembic.context`): one upgrade at a time per event
    loop. Between processes, the PostgreSQL advisory lock of `migrate.run_migrations` does it."""
    loop = asyncio.get_running_loop()
    lock = _ALEMBIC_LOCKS.get(loop)
    if lock is None:
        lock = _ALEMBIC_LOCKS[loop] = asyncio.Lock()
    return lock


async def upgrade_database(url: str, revision: str = "head") -> SchemaState:
    """`assistant db upgrade`, and the gateway's start with DB_AUTO_MIGRATE: one engine, then gone."""
    database = Database(url, migrate=False)
    try:
        database.open()
        return await database.upgrade(revision)
    finally:
        await database.stop()


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
