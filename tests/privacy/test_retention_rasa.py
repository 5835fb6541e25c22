"""Retention and erasure reach Rasa's own tracker stores (SQLite, Redis), the admin API and the CLI."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import redis
import sqlalchemy as sa
from fastapi.testclient import TestClient

from assistant.config import PROJECT_ROOT, Settings
from assistant.gateway.app import create_app
from assistant.privacy.retention import purge
from tests.conftest import REDIS_TEST_URL, add_agent
from tests.privacy.test_retention import tracker_senders


def rasa_events(settings: Settings, conversation: str) -> list[dict[str, object]]:
    response = httpx.get(
        f"{settings.rasa_base_url}/conversations/{conversation}/tracker",
        params={"token": settings.rasa_token},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    events: list[dict[str, object]] = response.json()["events"]
    return events


def test_purge_deletes_old_trackers_of_the_real_sqlite_tracker_store(
    gateway: TestClient, rasa_stack: Settings
) -> None:
    """Rasa's own SQLite tracker store (var/rasa_tracker.db, table events), written by the real Rasa."""
    old, recent = (gateway.post("/api/conversations").json()["id"] for _ in range(2))
    for conversation in (old, recent):
        assert (
            gateway.post(
                f"/api/conversations/{conversation}/messages", json={"text": "je déménage"}
            ).status_code
            == 200
        )
    assert any(e.get("event") == "user" for e in rasa_events(rasa_stack, old))
    tracker_db = rasa_stack.var_dir / "rasa_tracker.db"
    long_ago = (datetime.now(timezone.utc) - timedelta(days=400)).timestamp()
    engine = sa.create_engine(f"sqlite:///{tracker_db}")
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE events SET timestamp = :t WHERE sender_id = :s"), {"t": long_ago, "s": old}
        )
    engine.dispose()
    state = gateway.app.state.services  # type: ignore[attr-defined]
    settings = rasa_stack.copy(update={"retention_days": 365})

    report = gateway.portal.call(purge, settings, state.database)  # type: ignore[union-attr]

    assert report.rasa_trackers >= 1
    assert old not in tracker_senders(tracker_db) and recent in tracker_senders(tracker_db)
    assert not any(e.get("event") == "user" for e in rasa_events(rasa_stack, old))  # Rasa forgot it too
    assert any(e.get("event") == "user" for e in rasa_events(rasa_stack, recent))


def test_erase_deletes_the_redis_tracker(redis_rasa_stack: Settings, redis_prefix: str) -> None:
    """With REDIS_URL: Rasa's Redis tracker store; the key is deleted, and it expires by itself."""
    settings = redis_rasa_stack.copy(
        update={"database_url": f"sqlite:///{redis_rasa_stack.var_dir / 'erase.db'}"}
    )
    store = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        with TestClient(create_app(settings)) as client:
            admin = {"Authorization": "Bearer " + add_agent(client, "admin-redis-erase", role="admin")}
            conversation = client.post("/api/conversations").json()["id"]
            assert (
                client.post(
                    f"/api/conversations/{conversation}/messages", json={"text": "je déménage"}
                ).status_code
                == 200
            )
            key = f"{redis_prefix}:tracker:{conversation}"
            assert store.exists(key) == 1
            ttl = store.ttl(key)
            assert settings.retention_days * 86400 - 600 < ttl <= settings.retention_days * 86400
            assert client.delete(f"/api/conversations/{conversation}", headers=admin).status_code == 204
            assert store.exists(key) == 0
            assert not any(e.get("event") == "user" for e in rasa_events(settings, conversation))
    finally:
        store.close()


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
        [sys.executable, "-m", "assistant.ops.cli", "erase", "--conversation", "nope"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert erase.returncode == 1 and "introuvable" in erase.stderr
    purged = subprocess.run(
        [sys.executable, "-m", "assistant.ops.cli", "purge", "--days", "7"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert purged.returncode == 0 and "Conservation : 7 jours" in purged.stdout
