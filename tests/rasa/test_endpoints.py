"""Rasa's stores follow the settings: embedded by default, Redis when REDIS_URL is set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.config import Settings, SettingsError
from assistant.rasa.endpoints import render_endpoints, write_endpoints


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_embedded_default(tmp_path: Path) -> None:
    endpoints = render_endpoints(settings(var_dir=tmp_path, action_port=6000))
    assert endpoints == {
        "action_endpoint": {"url": "http://127.0.0.1:6000/webhook"},
        "tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(tmp_path / "rasa_tracker.db")},
        "lock_store": {"type": "in_memory"},
    }


def test_redis_for_tracker_and_lock_store() -> None:
    endpoints = render_endpoints(settings(redis_url="redis://:pw@10.0.0.5:6390/4", redis_key_prefix="prod-1"))
    expected = {
        "url": "10.0.0.5",
        "port": 6390,
        "db": 4,
        "password": "pw",
        "use_ssl": False,
        "key_prefix": "prod1",
    }
    assert endpoints["tracker_store"] == {
        "type": "assistant.rasa.tracker_store.RedisTrackerStore",
        **expected,
        "record_exp": 365 * 86400,
    }
    assert endpoints["lock_store"] == {"type": "assistant.rasa.lock_store.AtomicRedisLockStore", **expected}


def test_prefix_must_keep_a_character() -> None:
    with pytest.raises(SettingsError):
        render_endpoints(settings(redis_url="redis://localhost:6379/0", redis_key_prefix="--"))


def test_written_file_is_valid_yaml(tmp_path: Path) -> None:
    path = write_endpoints(settings(var_dir=tmp_path), tmp_path / "sub" / "endpoints.yml")
    assert yaml.safe_load(path.read_text())["lock_store"] == {"type": "in_memory"}
