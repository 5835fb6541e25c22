"""Retention and erasure: records, feedback contacts and Rasa trackers."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from assistant.config import PROJECT_ROOT, Settings
from assistant.conversations.models import OutboundMessage
from assistant.conversations.repository import ConversationRepository
from assistant.feedback.repository import FeedbackRepository
from assistant.retention import purge
from assistant.storage import Database
from assistant.storage.tables import conversations, feedback, messages
from tests.conftest import add_agent


def make_tracker_db(path: Path, rows: list[tuple[str, float]]) -> None:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL)"))
        for sender, stamp in rows:
            conn.execute(
                sa.text("INSERT INTO events (sender_id, timestamp) VALUES (:s, :t)"),
                {"s": sender, "t": stamp},
            )
    engine.dispose()


def tracker_senders(path: Path) -> set[str]:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        found = {row[0] for row in conn.execute(sa.text("SELECT DISTINCT sender_id FROM events"))}
    engine.dispose()
    return found


async def test_purge_deletes_what_is_past_retention(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, var_dir=tmp_path, database_url="", retention_days=30)  # type: ignore[call-arg]
    db = Database(settings.sqlalchemy_url)
    await db.start()
    try:
        repo = ConversationRepository(db)
        old, recent = await repo.create("web"), await repo.create("web")
        for conv in (old, recent):
            await repo.add_inbound(conv.id, "bonjour, mon numéro 06 12 34 56 78", None)
            await repo.add_outbound(conv.id, "bot", [OutboundMessage(text="Bonjour")])
        now = datetime.now(timezone.utc)
        long_ago = now - timedelta(days=40)
        async with db.connect() as conn:
            await conn.execute(
                conversations.update().where(conversations.c.id == old.id).values(updated_at=long_ago)
            )
        feedback_repo = FeedbackRepository(db)
        consent = {"description": "x", "contact_consent": True, "contact": "a@b.fr"}
        await feedback_repo.add(old.id, "web", consent)
        await feedback_repo.add(recent.id, "web", consent)
        async with db.connect() as conn:
            await conn.execute(
                feedback.update().where(feedback.c.conversation_id == old.id).values(created_at=long_ago)
            )
        make_tracker_db(
            tmp_path / "rasa_tracker.db",
            [(old.id, long_ago.timestamp()), (recent.id, now.timestamp()), ("orphan", long_ago.timestamp())],
        )

        report = await purge(settings, db, now)

        assert (report.conversations, report.feedback_contacts, report.rasa_trackers) == (1, 1, 2)
        assert await repo.get(old.id) is None and await repo.get(recent.id) is not None
        async with db.connect() as conn:
            left = {r[0] for r in await conn.execute(sa.select(messages.c.conversation_id))}
            contacts = [
                r[0] for r in await conn.execute(sa.select(feedback.c.contact).order_by(feedback.c.id))
            ]
        assert left == {recent.id}
        assert contacts == [None, "a@b.fr"]  # the old report stays, anonymous, without its contact
        assert tracker_senders(tmp_path / "rasa_tracker.db") == {recent.id}
    finally:
        await db.stop()


def test_erase_one_conversation_through_the_admin_api(gateway: TestClient, rasa_stack: Settings) -> None:
    admin = {"Authorization": "Bearer " + add_agent(gateway, "admin-erase", role="admin")}
    agent = {"Authorization": "Bearer " + add_agent(gateway, "agent-erase")}
    conversation = gateway.post("/api/conversations").json()["id"]
    gateway.post(f"/api/conversations/{conversation}/messages", json={"text": "je déménage"})
    assert conversation in tracker_senders(rasa_stack.var_dir / "rasa_tracker.db")
    assert gateway.delete(f"/api/conversations/{conversation}", headers=agent).status_code == 403
    assert gateway.delete(f"/api/conversations/{conversation}").status_code == 401
    assert gateway.delete(f"/api/conversations/{conversation}", headers=admin).status_code == 204
    assert gateway.get(f"/api/conversations/{conversation}/messages").status_code == 404
    assert conversation not in tracker_senders(rasa_stack.var_dir / "rasa_tracker.db")
    assert gateway.delete(f"/api/conversations/{conversation}", headers=admin).status_code == 404


def test_cli_erase_and_purge(tmp_path: Path) -> None:
    env = {
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "APP_ENV": "development",
        "PATH": "",
    }
    erase = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "erase", "--conversation", "nope"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert erase.returncode == 1 and "introuvable" in erase.stderr
    purged = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "purge", "--days", "7"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert purged.returncode == 0 and "Conservation : 7 jours" in purged.stdout
