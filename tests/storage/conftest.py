"""Empty databases for the migration tests: a SQLite file, or a PostgreSQL database of the test's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import fresh_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An async URL of a database with no table at all (the session's PostgreSQL one has some)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    with fresh_postgres_database("assistant_migrations_") as name:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
