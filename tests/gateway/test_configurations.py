"""Both deployments of the design: Redis for Rasa's stores, PostgreSQL for the gateway's records."""

from __future__ import annotations

import redis
import sqlalchemy as sa
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.gateway.app import create_app
from tests.conftest import REDIS_TEST_URL


def converse(client: TestClient) -> str:
    conversation: str = client.post("/api/conversations").json()["id"]
    reply = client.post(f"/api/conversations/{conversation}/messages", json={"text": "je déménage"})
    assert reply.status_code == 200
    assert [b["title"] for m in reply.json()["messages"] for b in m["buttons"]][:2] == [
        "Locataire",
        "Propriétaire",
    ]
    follow = client.post(f"/api/conversations/{conversation}/messages", json={"text": "je suis propriétaire"})
    assert "Quelle est votre nationalité ?" in " ".join(
        m["text"] or "" for m in follow.json()["messages"]
    )  # the answer was kept
    return conversation


def test_rasa_with_redis_tracker_and_lock_stores(
    redis_rasa_stack: Settings, redis_prefix: str, tmp_path: object
) -> None:
    settings = redis_rasa_stack.copy(
        update={"database_url": f"sqlite:///{redis_rasa_stack.var_dir / 'gw.db'}"}
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        conversation = converse(client)
    store = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        assert store.exists(f"{redis_prefix}:tracker:{conversation}") == 1
    finally:
        store.close()
    assert not (redis_rasa_stack.var_dir / "rasa_tracker.db").exists()


def test_gateway_records_in_postgresql(rasa_stack: Settings, postgres_url: str) -> None:
    settings = rasa_stack.copy(update={"database_url": postgres_url})
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json()["components"]["storage"] == "ok"
        conversation = converse(client)
        transcript = client.get(f"/api/conversations/{conversation}/messages").json()["messages"]
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT role, text FROM messages WHERE conversation_id = :c ORDER BY id"),
            {"c": conversation},
        ).all()
    engine.dispose()
    assert [(r["role"], r["text"]) for r in transcript] == [tuple(row) for row in stored]
    assert ("user", "je suis propriétaire") in [tuple(row) for row in stored]
