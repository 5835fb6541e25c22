"""A fresh database per test, SQLite or PostgreSQL, at the head of the migrations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from assistant.storage import Database
from tests.conftest import fresh_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
async def stats_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'stats.db'}", migrate=True)
        await db.start()
        yield db
        await db.stop()
        return
    with fresh_postgres_database("assistant_stats_") as name:
        db = Database(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}", migrate=True)
        await db.start()
        yield db
        await db.stop()
