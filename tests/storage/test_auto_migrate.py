"""DB_AUTO_MIGRATE: on in development, a database behind the code refused without it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlalchemy as sa

from assistant.config import Settings, read_settings
from assistant.storage import Database, SchemaOutdated


async def test_without_auto_migrate_a_database_behind_is_refused(
    empty_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(SchemaOutdated, match="assistant db upgrade"):
        await Database(empty_database, migrate=False).start()
    ahead = Database(empty_database, migrate=True)
    await ahead.start()
    async with ahead.connect() as conn:  # as if a newer release had migrated it
        await conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_newer'"))
    await ahead.stop()
    db = Database(empty_database, migrate=False)
    with caplog.at_level(logging.WARNING, logger="assistant.storage.db"):
        await db.start()  # newer releases only add: an older replica keeps running during a roll-out
    await db.stop()
    assert "ahead of this code" in caplog.text


@pytest.mark.parametrize(
    ("app_env", "raw", "expected"),
    [("development", "", True), ("test", None, True), ("production", "", False), ("production", "true", True),
     ("development", "false", False)],
)  # fmt: skip
def test_db_auto_migrate_defaults_to_on_in_development_only(
    app_env: str, raw: str | None, expected: bool
) -> None:
    values = {"app_env": app_env} if raw is None else {"app_env": app_env, "db_auto_migrate": raw}
    assert Settings(_env_file=None, **values).auto_migrate is expected  # type: ignore[call-arg, arg-type]


async def test_start_follows_db_auto_migrate_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("DB_AUTO_MIGRATE", raising=False)
    read_settings.cache_clear()
    try:
        with pytest.raises(SchemaOutdated):
            await Database(f"sqlite+aiosqlite:///{tmp_path / 'prod.db'}").start()
        monkeypatch.setenv("DB_AUTO_MIGRATE", "true")
        read_settings.cache_clear()
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'prod.db'}")
        await db.start()
        assert (await db.schema_state()).at_head
        await db.stop()
    finally:
        monkeypatch.undo()
        read_settings.cache_clear()
