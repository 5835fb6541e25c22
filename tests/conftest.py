"""Shared fixtures: settings, a real Rasa + action server started once, real databases."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from fastapi.testclient import TestClient

from assistant.config import PROJECT_ROOT, Settings
from assistant.gateway.app import create_app
from assistant.ops.stack import action_server_spec, rasa_spec
from assistant.ops.supervisor import ProcessSpec, Stack
from assistant.rasa.training import ensure_model
from tests.helpers import free_port

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


def make_settings(tmp: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "app_env": "test",
        "var_dir": tmp,
        "rasa_token": secrets.token_urlsafe(32),
        "secret_key": secrets.token_urlsafe(32),
        "database_url": f"sqlite:///{tmp / 'assistant.db'}",
        "redis_url": "",
        "rasa_timeout": 20.0,
        "opening_hours": "always",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The real model for the current training data (trained once, then cached by hash)."""
    return ensure_model(make_settings(PROJECT_ROOT / "var"))


def start_specs(specs: list[ProcessSpec], log: Path, timeout: float = 240) -> Stack:
    """Start processes, their output in `log` (its tail printed when they do not start)."""
    handle = log.open("a", encoding="utf-8")

    def sink(line: str) -> None:
        handle.write(line + "\n")
        handle.flush()

    stack = Stack(specs, sink=sink)
    try:
        stack.start(timeout=timeout)
    except Exception:
        print(log.read_text(encoding="utf-8")[-5000:])
        raise
    return stack


def _start_stack(settings: Settings, model: Path) -> Stack:
    specs = [action_server_spec(settings), rasa_spec(settings, model)]
    return start_specs(specs, settings.var_dir / "stack.log")


@pytest.fixture(scope="session")
def rasa_stack(tmp_path_factory: pytest.TempPathFactory, trained_model: Path) -> Iterator[Settings]:
    """Rasa (SQLite tracker store, in-memory lock store) and the action server, for the session."""
    tmp = tmp_path_factory.mktemp("stack")
    settings = make_settings(tmp, rasa_port=free_port(), action_port=free_port())
    stack = _start_stack(settings, trained_model)
    yield settings
    stack.stop()


@pytest.fixture(scope="session")
def redis_prefix() -> Iterator[str]:
    """A key prefix of our own in Redis DB 15, deleted afterwards."""
    prefix = "test" + secrets.token_hex(4)
    yield prefix
    client = redis.Redis.from_url(REDIS_TEST_URL)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(scope="session")
def redis_rasa_stack(
    tmp_path_factory: pytest.TempPathFactory, trained_model: Path, redis_prefix: str
) -> Iterator[Settings]:
    """The same stack with REDIS_URL set: Rasa's tracker and lock stores in Redis."""
    tmp = tmp_path_factory.mktemp("redis-stack")
    settings = make_settings(
        tmp,
        rasa_port=free_port(),
        action_port=free_port(),
        redis_url=REDIS_TEST_URL,
        redis_key_prefix=redis_prefix,
    )
    stack = _start_stack(settings, trained_model)
    yield settings
    stack.stop()


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (its name only), dropped afterwards."""
    name = prefix + secrets.token_hex(4)
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    with fresh_postgres_database("assistant_test_") as name:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both record stores the gateway supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def gateway(rasa_stack: Settings, tmp_path: Path) -> Iterator[TestClient]:
    """The gateway in-process, talking to the real Rasa over HTTP, with its own SQLite file."""
    settings = rasa_stack.copy(update={"database_url": f"sqlite:///{tmp_path / 'gw.db'}"})
    with TestClient(create_app(settings)) as client:
        yield client


def add_agent(client: TestClient, username: str, role: str = "agent") -> str:
    """Create an agent in the gateway's store and return a bearer token for it."""
    state = client.app.state.services  # type: ignore[attr-defined]
    client.portal.call(state.agents.add, username, "mot-de-passe-solide", role)  # type: ignore[union-attr]
    response = client.post("/api/auth/token", data={"username": username, "password": "mot-de-passe-solide"})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token
