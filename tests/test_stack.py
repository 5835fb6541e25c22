"""The Rasa process spec: its endpoints and its number of worker processes."""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.config import Settings
from assistant.stack import gateway_spec, rasa_spec


def test_rasa_workers_become_sanic_workers_with_the_atomic_lock_store(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, var_dir=tmp_path, redis_url="redis://127.0.0.1:6379/15", rasa_workers=3
    )
    spec = rasa_spec(settings, tmp_path / "model.tar.gz", port=5999)
    assert spec.env["SANIC_WORKERS"] == "3"
    endpoints = yaml.safe_load((tmp_path / "endpoints-5999.yml").read_text())
    assert endpoints["lock_store"]["type"] == "assistant.rasa_lock_store.AtomicRedisLockStore"


def test_one_rasa_worker_by_default(tmp_path: Path) -> None:
    spec = rasa_spec(Settings(_env_file=None, var_dir=tmp_path), tmp_path / "m.tar.gz")  # type: ignore[call-arg]
    assert spec.env["SANIC_WORKERS"] == "1"


def test_our_rasa_runs_through_the_launcher_and_the_baseline_is_plain_rasa(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, var_dir=tmp_path)  # type: ignore[call-arg]
    ours = rasa_spec(settings, tmp_path / "m.tar.gz", port=5998)
    plain = rasa_spec(settings, tmp_path / "m.tar.gz", port=5997, api=False)
    assert ours.command[1:4] == ["-m", "assistant.rasa_server", "run"]
    assert "--enable-api" in ours.command and ours.env["RASA_TELEMETRY_ENABLED"] == "false"
    assert plain.command[1:4] == ["-m", "rasa", "run"] and "--enable-api" not in plain.command


def test_uvicorn_frame_cap_follows_the_gateway_limit(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, var_dir=tmp_path, max_ws_frame_bytes=20_000)  # type: ignore[call-arg]
    command = gateway_spec(settings).command
    assert int(command[command.index("--ws-max-size") + 1]) == 21_024
