"""`assistant db upgrade|check|revision` as an operator runs them."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from assistant.config import PROJECT_ROOT
from assistant.ops import db_cli
from assistant.ops.cli import main
from assistant.storage import Database, migrate, tables
from assistant.storage.db import upgrade_database


def test_upgrade_then_check(
    environment: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("APP_ENV", "production")  # no gateway secret needed: a Job has none
    environment.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'records.db'}")
    assert main(["db", "check"]) == 1
    assert "Schéma en retard : révision aucune (base vide)" in capsys.readouterr().err
    assert main(["db", "upgrade"]) == 0
    assert "Base de données à jour" in capsys.readouterr().out
    assert main(["db", "check"]) == 0
    assert f"Schéma à jour : révision {head()}" in capsys.readouterr().out


def test_an_unreachable_database_is_reported_without_its_password(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("DATABASE_URL", "postgresql://assistant:motdepasse-secret@127.0.0.1:1/assistant")
    assert main(["db", "upgrade"]) == 1
    assert main(["db", "check"]) == 1
    captured = capsys.readouterr()
    assert "Base de données injoignable" in captured.err
    assert "motdepasse-secret" not in captured.out + captured.err
    assert "***" in db_cli.shown_url(db_cli.read_settings())


def test_check_waits_for_the_upgrade(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """As the gateway's init container waits for the Kubernetes Job."""
    url = f"sqlite:///{tmp_path / 'records.db'}"
    environment.setenv("DATABASE_URL", url)
    environment.setattr(db_cli, "CHECK_INTERVAL", 0.2)
    assert main(["db", "check", "--wait", "0.5"]) == 1
    job = threading.Timer(
        1.0, lambda: asyncio.run(upgrade_database(url.replace("sqlite", "sqlite+aiosqlite")))
    )
    job.start()
    started = time.monotonic()
    assert main(["db", "check", "--wait", "30"]) == 0
    job.join()
    assert 0.9 < time.monotonic() - started < 20


def test_concurrent_upgrade_processes_on_postgresql(empty_database: str) -> None:
    """Several processes upgrading one PostgreSQL database at once (a Job, development gateways): each
    waits for the advisory lock, then finds the database at head. The test holds the lock until all
    three wait, so that they really run at the same time."""
    if empty_database.startswith("sqlite"):
        return  # several machines share PostgreSQL only
    holder = sa.create_engine(empty_database.replace("+asyncpg", ""), isolation_level="AUTOCOMMIT")
    env = {**os.environ, "DATABASE_URL": empty_database, "APP_ENV": "production"}
    command = [sys.executable, "-m", "assistant.ops.cli", "db", "upgrade"]
    with holder.connect() as conn:
        conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": migrate.ADVISORY_LOCK_KEY})
        processes = [
            subprocess.Popen(
                command, env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            for _ in range(3)
        ]
        waiting_query = sa.text(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()"
        )
        deadline = time.monotonic() + 60
        while conn.execute(waiting_query).scalar() != 3:
            assert time.monotonic() < deadline, "the upgrades did not wait for the lock"
            assert all(p.poll() is None for p in processes), "an upgrade ended without waiting"
            time.sleep(0.1)
        conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": migrate.ADVISORY_LOCK_KEY})
    holder.dispose()
    outputs = [p.communicate(timeout=120)[0].decode() for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    assert all("Base de données à jour" in output for output in outputs)


def test_revision_writes_the_next_migration_from_tables_py(
    environment: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Adding a table: change tables.py, `assistant db revision -m ...`, review, `make test`."""
    location = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, location, ignore=shutil.ignore_patterns("__pycache__"))
    environment.setattr(migrate, "MIGRATIONS", location)
    changed = sa.MetaData()
    for table in tables.metadata.sorted_tables:
        table.to_metadata(changed)
    sa.Table(
        "appointments",
        changed,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id", ondelete="CASCADE")),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("sent", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    environment.setattr(tables, "metadata", changed)

    current = head()
    following = f"{int(current) + 1:04d}"
    assert main(["db", "revision", "-m", "appointments"]) == 0
    written = location / "versions" / f"{following}_appointments.py"
    assert str(written) in capsys.readouterr().out
    text = written.read_text(encoding="utf-8")
    assert f'down_revision = "{current}"' in text and 'op.create_table(\n        "appointments"' in text
    ruff = Path(sys.executable).parent / "ruff"
    assert subprocess.run([str(ruff), "check", "--quiet", str(written)], check=False).returncode == 0

    async def apply() -> list[object]:
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'new.db'}", migrate=False)
        db.open()
        try:
            await db.run_sync(lambda conn: migrate.upgrade(conn, "head", location))
            return await db.run_sync(lambda conn: migrate.drift(conn, changed))
        finally:
            await db.stop()

    assert asyncio.run(apply()) == []  # the new revision brings the schema to the new tables.py
    assert main(["db", "revision", "-m", "nothing yet", "--empty"]) == 0
    last = location / "versions" / f"{int(following) + 1:04d}_nothing_yet.py"
    assert f'down_revision = "{following}"' in last.read_text()


def head() -> str:
    """The newest revision shipped, read from the file names (`0002_stats_review.py` -> 0002)."""
    numbers = [p.name[:4] for p in migrate.MIGRATIONS.joinpath("versions").glob("[0-9][0-9][0-9][0-9]_*.py")]
    return max(numbers)
