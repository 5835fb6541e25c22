"""Schema migrations on SQLite and PostgreSQL: upgrades keep the data; tables.py never drifts from them."""

from __future__ import annotations

import asyncio
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from assistant.storage import Database, migrate, tables
from assistant.storage.db import upgrade_database

FIRST = "0001"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)

# What a next revision typically does, appended after the real head in a copy of the migrations: a
# column added and a column type changed on `conversations` (on SQLite, a copy of the whole table,
# the one every message, plan and handoff points at with ON DELETE CASCADE), a data update, a table.
NEXT_REVISION = '''"""Test only."""

import sqlalchemy as sa
from alembic import op

revision = "test_next"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))
        batch.alter_column("channel", existing_type=sa.String(32), type_=sa.String(48))
    op.execute("UPDATE conversations SET language = 'fr'")
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id", ondelete="CASCADE")),
    )


def downgrade() -> None:
    op.drop_table("appointments")
'''


def _row(**values: Any) -> dict[str, Any]:
    return values


# One row or more in every table, with JSON, booleans, time zones and foreign keys.
ROWS: dict[str, list[dict[str, Any]]] = {
    "conversations": [
        _row(id="conv-a", channel="web", sender_ref=None, created_at=NOW, updated_at=NOW),
        _row(
            id="conv-b",
            channel="sms",
            sender_ref="+33600000000",
            mode="handoff",
            created_at=NOW,
            updated_at=NOW,
        ),
    ],
    "messages": [
        _row(id=1, conversation_id="conv-a", role="user", text="Je déménage", created_at=NOW),
        _row(
            id=2,
            conversation_id="conv-a",
            role="bot",
            text="Locataire ?",
            created_at=NOW,
            buttons=[{"title": "Oui", "payload": "/answer"}],
            custom={"type": "plan"},
        ),
        _row(id=3, conversation_id="conv-b", role="user", text="STOP", status="pending", created_at=NOW),
    ],
    "inbound_claims": [_row(message_id=3, claimed_at=NOW)],
    "web_client_messages": [_row(conversation_id="conv-a", client_id="c1", claimed_at=NOW)],
    "plan_exports": [_row(token="tok", conversation_id="conv-a", plan={"items": ["F14128"]}, updated_at=NOW)],
    "link_codes": [_row(code_hash="h" * 64, conversation_id="conv-b", created_at=NOW, expires_at=NOW)],
    "agents": [
        _row(id=7, username="claire", display_name="Claire", password_hash="x", role="admin", created_at=NOW)
    ],
    "auth_tokens": [_row(token_hash="a" * 64, agent_id=7, kind="api", expires_at=NOW)],
    "handoffs": [
        _row(
            id="h1",
            conversation_id="conv-b",
            status="claimed",
            reason="ask_human",
            priority=2,
            packet={"summary": "x"},
            agent_id=7,
            created_at=NOW,
        )
    ],
    "handoff_notes": [_row(handoff_id="h1", agent_id=7, text="rappeler", created_at=NOW)],
    "feedback": [
        _row(
            reference="R-1",
            created_at=NOW,
            channel="web",
            conversation_id="conv-a",
            document_label="CERFA",
            document_kind="cerfa",
            categories="unclear",
            description="illisible",
            situations=["F14128"],
            masked={"email": 1},
        )
    ],
    "sms_recipients": [_row(number="+33600000000", updated_at=NOW)],
    "channel_events": [_row(channel="telegram", event_id="42", created_at=NOW)],
    "conversation_situations": [_row(conversation_id="conv-a", situation="F14128", created_at=NOW)],
    "csat_responses": [
        _row(conversation_id="conv-a", channel="web", trigger="end", status="answered", score=4, asked_at=NOW)
    ],
    "answer_ratings": [_row(message_id=1, conversation_id="conv-a", helpful=False, created_at=NOW)],
    "review_items": [
        _row(
            conversation_id="conv-a",
            message_id=1,
            source="misunderstood",
            channel="web",
            text="Je déménage",
            masked=[],
            created_at=NOW,
        )
    ],
    "reminder_consents": [
        _row(
            conversation_id="conv-b",
            channel="sms",
            address="+33600000000",
            status="granted",
            plan={"items": []},
            offered_at=NOW,
            granted_at=NOW,
        )
    ],
    "reminders": [
        _row(
            conversation_id="conv-b",
            kind="before",
            fiche_id="F1",
            title="Déclarer le décès",
            url=None,
            due=NOW.date(),
            send_at=NOW,
            channel="sms",
            address="+33600000000",
            status="scheduled",
        )
    ],
}


async def existing_tables(db: Database) -> set[str]:
    return set(await db.run_sync(lambda conn: sa.inspect(conn).get_table_names()))


async def fill(db: Database) -> None:
    """ROWS in every table of tables.py that the database has (a first revision has fewer)."""
    present = await existing_tables(db)
    async with db.connect() as conn:
        for table in tables.metadata.sorted_tables:  # parents before children
            if table.name in present:
                await conn.execute(table.insert(), ROWS[table.name])


async def snapshot(db: Database, only: set[str] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of tables.py (or of `only`), by primary key (the columns tables.py names)."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    async with db.connect() as conn:
        for table in tables.metadata.sorted_tables:
            if only is not None and table.name not in only:
                continue
            columns = [sa.column(c.name) for c in table.columns]
            query = (
                sa.select(*columns)
                .select_from(sa.table(table.name))
                .order_by(*[sa.column(c.name) for c in table.primary_key.columns])
            )
            rows[table.name] = [tuple(row) for row in (await conn.execute(query)).all()]
    return rows


def with_next_revision(tmp_path: Path) -> Path:
    """A copy of the migrations with NEXT_REVISION after the real head."""
    location = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, location, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    next_file = location / "versions" / "9999_test_next.py"
    next_file.write_text(NEXT_REVISION.format(head=head), encoding="utf-8")
    return location


async def test_upgrade_from_the_first_revision_keeps_the_data(empty_database: str, tmp_path: Path) -> None:
    db = Database(empty_database, migrate=False)
    db.open()
    try:
        state = await db.upgrade(FIRST)
        assert state.current == (FIRST,)
        first = await existing_tables(db) - {"alembic_version"}
        await fill(db)
        before = await snapshot(db, first)
        assert sum(map(len, before.values())) == 16

        state = await db.upgrade()  # to the code's head: every real migration after the first one
        assert state.at_head and await snapshot(db, first) == before
        before = await snapshot(db)  # the tables added since, empty
        assert {name for name, rows in before.items() if not rows} == set(ROWS) - first
        assert await db.run_sync(migrate.drift) == []

        location = with_next_revision(tmp_path)  # and one more, which rebuilds `conversations` on SQLite

        def upgrade_then_read_foreign_keys(conn: sa.engine.Connection) -> object:
            migrate.upgrade(conn, "head", location)
            if conn.dialect.name != "sqlite":
                return 1
            return conn.exec_driver_sql("PRAGMA foreign_keys").scalar()

        assert await db.run_sync(upgrade_then_read_foreign_keys) == 1  # switched back on after the copy
        state = await db.run_sync(lambda conn: migrate.schema_state(conn, location))
        assert state.current == ("test_next",)
        assert await snapshot(db) == before  # no message, plan or handoff lost with the old table
        async with db.connect() as conn:
            languages = (await conn.execute(sa.text("SELECT DISTINCT language FROM conversations"))).all()
            assert languages == [("fr",)]
            await conn.execute(sa.text("INSERT INTO appointments (id, conversation_id) VALUES (1, 'conv-a')"))
        with pytest.raises(sa.exc.IntegrityError):  # foreign keys are enforced again
            async with db.connect() as conn:
                await conn.execute(sa.text("INSERT INTO appointments (id, conversation_id) VALUES (2, 'no')"))
        state = await db.schema_state()  # the real code meets the newer database: ahead, not behind
        assert state.unknown == ("test_next",) and not state.behind
    finally:
        await db.stop()


async def test_a_database_made_by_create_all_before_migrations_is_adopted(empty_database: str) -> None:
    db = Database(empty_database, migrate=False)
    db.open()
    try:
        async with db.connect() as conn:
            await conn.run_sync(tables.metadata.create_all)
        await fill(db)
        before = await snapshot(db)
        async with db.connect() as conn:  # an older create_all, before this table existed
            await conn.execute(sa.text("DROP TABLE inbound_claims"))
        assert (await db.schema_state()).behind
        state = await db.upgrade()
        assert state.at_head and await db.run_sync(migrate.drift) == []
        assert await snapshot(db) == {**before, "inbound_claims": []}
    finally:
        await db.stop()


async def test_tables_py_and_the_migrations_do_not_drift(empty_database: str) -> None:
    """The drift check: a fresh database at head is exactly tables.py (types and defaults included);
    a change to tables.py without its migration is found."""
    db = Database(empty_database, migrate=True)
    await db.start()
    try:
        assert await db.run_sync(migrate.drift) == []
        changed = sa.MetaData()
        for table in tables.metadata.sorted_tables:
            table.to_metadata(changed)
        changed.tables["conversations"].append_column(sa.Column("language", sa.String(8)))
        sa.Table("appointments", changed, sa.Column("id", sa.Integer, primary_key=True))
        found = await db.run_sync(lambda conn: migrate.drift(conn, changed))
        assert sorted(d[0] for d in found) == ["add_column", "add_table"]
    finally:
        await db.stop()


async def test_concurrent_upgrades_run_one_after_the_other(empty_database: str) -> None:
    """In one process (the lock of db.py); between processes: tests/ops/test_db_cli.py."""
    states = await asyncio.gather(*(upgrade_database(empty_database) for _ in range(3)))
    assert all(state.at_head for state in states)
