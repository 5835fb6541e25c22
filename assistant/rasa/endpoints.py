"""Rasa's endpoints, rendered from the settings: embedded defaults, or Redis when configured."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from assistant.config import Settings, SettingsError

TRACKER_STORE = "assistant.rasa.tracker_store.RedisTrackerStore"  # imported by Rasa, never here
ATOMIC_LOCK_STORE = "assistant.rasa.lock_store.AtomicRedisLockStore"  # imported by Rasa, never here


def render_endpoints(settings: Settings) -> dict[str, Any]:
    """Action server, tracker store and lock store for one Rasa process."""
    endpoints: dict[str, Any] = {"action_endpoint": {"url": f"{settings.action_base_url}/webhook"}}
    redis = settings.redis_parts()
    if redis is None:
        endpoints["tracker_store"] = {
            "type": "SQL",
            "dialect": "sqlite",
            "db": str(settings.var_dir / "rasa_tracker.db"),
        }
        endpoints["lock_store"] = {"type": "in_memory"}
        return endpoints
    prefix = re.sub(r"[^A-Za-z0-9]", "", settings.redis_key_prefix)
    if not prefix:
        raise SettingsError("REDIS_KEY_PREFIX doit contenir des lettres ou des chiffres")
    common = {
        "url": redis["host"],
        "port": redis["port"],
        "db": redis["db"],
        "password": redis["password"],
        "use_ssl": redis["use_ssl"],
        "key_prefix": prefix,
    }
    # Redis expires trackers itself after the retention period (RGPD), counted from their last event.
    # Rasa's Redis tracker store, with a linear-time merge on save (assistant/rasa/tracker_store.py).
    endpoints["tracker_store"] = {
        "type": TRACKER_STORE,
        **common,
        "record_exp": settings.retention_days * 86400,
    }
    # Rasa's own `redis` lock store loses tickets when instances race (read, modify, write back):
    # ours issues and serves tickets with atomic scripts (assistant/rasa/lock_store.py).
    endpoints["lock_store"] = {"type": ATOMIC_LOCK_STORE, **common}
    return endpoints


def write_endpoints(settings: Settings, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(render_endpoints(settings), sort_keys=True), encoding="utf-8")
    return path
