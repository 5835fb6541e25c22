"""Schema migrations with Alembic: bring a database to the head revision, check it, add a revision.

The migration environment ships inside this package (`migrations/env.py`, `migrations/versions/`);
there is no alembic.ini: `alembic_config` sets the script location. Every function here takes a
synchronous connection: `Database` (db.py) hands it over from its async engine (`run_sync`), so
migrations run through the same drivers as the gateway (aiosqlite, asyncpg).

- SQLite: `ALTER TABLE` is limited, so migrations run in Alembic's batch mode (a changed table is
  copied into a new one). Foreign keys are switched off meanwhile: with them on, dropping the old
  copy of `conversations` would delete every message through `ON DELETE CASCADE`.
- PostgreSQL: the whole upgrade is one transaction (transactional DDL), holding an advisory lock,
  so that two processes upgrading at once (gateways with DB_AUTO_MIGRATE, a Job) run one after the
  other; the second finds the database at head and does nothing.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

import assistant.storage.tables as tables

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ADVISORY_LOCK_KEY = 7_273_100_001  # pg_advisory_xact_lock: one upgrade at a time per database


class SchemaOutdated(RuntimeError):
    """The database is behind the code's migrations and may not be upgraded here."""


@dataclass(frozen=True)
class SchemaState:
    """The revisions a database is at, against the heads of the migrations."""

    current: tuple[str, ...]
    heads: tuple[str, ...]
    unknown: tuple[str, ...]  # revisions the code does not know: written by a newer release

    @property
    def at_head(self) -> bool:
        return set(self.current) == set(self.heads)

    @property
    def behind(self) -> bool:
        """Not at head, and every revision it is at is one of ours (or it has none: empty)."""
        return not self.at_head and not self.unknown

    def describe(self) -> str:
        current = ", ".join(self.current) or "aucune (base vide)"
        return f"révision {current} ; dernière révision du code : {', '.join(self.heads)}"


def alembic_config(script_location: Optional[Path] = None, connection: Any = None) -> Config:
    """Alembic's configuration, without alembic.ini. `script_location`: MIGRATIONS unless a test says."""
    config = Config()
    config.set_main_option("script_location", str(script_location or MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.set_main_option("truncate_slug_length", "40")
    config.attributes["connection"] = connection
    ruff = Path(sys.executable).parent / "ruff"
    if ruff.exists():  # new revisions come out formatted like the rest of the code
        config.set_section_option("post_write_hooks", "hooks", "ruff_format, ruff_fix")
        for name, args in (("ruff_format", "format --quiet"), ("ruff_fix", "check --fix --quiet")):
            config.set_section_option("post_write_hooks", f"{name}.type", "exec")
            config.set_section_option("post_write_hooks", f"{name}.executable", str(ruff))
            config.set_section_option(
                "post_write_hooks", f"{name}.options", f"{args} REVISION_SCRIPT_FILENAME"
            )
    return config


def run_migrations(context: EnvironmentContext) -> None:
    """The body of `migrations/env.py`: migrate (or compare) on the connection given by the caller."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise CommandError("lancez les migrations par `assistant db upgrade` (pas de alembic.ini)")
    context.configure(
        connection=connection,
        target_metadata=context.config.attributes.get("metadata", tables.metadata),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        context.run_migrations()


def upgrade(
    connection: sa.engine.Connection, revision: str = "head", script_location: Optional[Path] = None
) -> None:
    """Apply every migration up to `revision`, then commit."""
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys(connection, on=False)
    try:
        command.upgrade(alembic_config(script_location, connection), revision)
        if connection.in_transaction():
            connection.commit()
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, on=True)


def schema_state(connection: sa.engine.Connection, script_location: Optional[Path] = None) -> SchemaState:
    script = ScriptDirectory.from_config(alembic_config(script_location))
    current = tuple(MigrationContext.configure(connection).get_current_heads())
    unknown = []
    for rev in current:
        try:
            script.get_revision(rev)
        except CommandError:
            unknown.append(rev)
    if connection.in_transaction():
        connection.rollback()
    return SchemaState(current, tuple(script.get_heads()), tuple(unknown))


def drift(connection: sa.engine.Connection, target: Optional[sa.MetaData] = None) -> list[Any]:
    """What autogenerate would put in a new revision: nothing when tables.py and the migrations agree."""
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    differences: list[Any] = compare_metadata(context, tables.metadata if target is None else target)
    if connection.in_transaction():
        connection.rollback()
    return differences


def next_revision_id(script_location: Optional[Path] = None) -> str:
    """Revisions are numbered 0001, 0002...: their order shows in the file names."""
    numbers = [
        int(m.group(1))
        for p in ((script_location or MIGRATIONS) / "versions").glob("*.py")
        if (m := re.match(r"(\d+)_", p.name))
    ]
    return f"{max(numbers, default=0) + 1:04d}"


def write_revision(
    connection: sa.engine.Connection,
    message: str,
    autogenerate: bool,
    script_location: Optional[Path] = None,
    target: Optional[sa.MetaData] = None,
) -> Path:
    """A new file in versions/, with what autogenerate finds between `connection` (at head) and tables.py."""
    config = alembic_config(script_location, connection)
    if target is not None:
        config.attributes["metadata"] = target
    script = command.revision(
        config, message=message, autogenerate=autogenerate, rev_id=next_revision_id(script_location)
    )
    if connection.in_transaction():
        connection.rollback()
    if script is None or isinstance(script, list):
        raise CommandError("aucune révision écrite")
    return Path(script.path)


def _sqlite_foreign_keys(connection: sa.engine.Connection, on: bool) -> None:
    """PRAGMA foreign_keys is ignored inside a transaction: end the one SQLAlchemy began."""
    if connection.in_transaction():
        connection.commit()
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    connection.commit()
