"""`assistant serve ROLE` and `assistant health`: one process, started as `assistant run` starts it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from assistant.config import PROJECT_ROOT, read_settings
from assistant.ops import health, serve
from assistant.ops.cli import main
from assistant.ops.stack import action_server_spec, gateway_spec, rasa_spec
from assistant.ops.supervisor import ProcessSpec
from assistant.rasa.training import model_name
from assistant.storage.migrate import MIGRATIONS
from tests.conftest import make_settings
from tests.helpers import free_port

STRONG = "x" * 12 + "-solide-et-long-0123"


class Exec(Exception):
    """Raised instead of replacing the test process."""


@pytest.fixture
def execs(monkeypatch: pytest.MonkeyPatch) -> list[ProcessSpec]:
    started: list[ProcessSpec] = []

    def fake(spec: ProcessSpec) -> None:
        started.append(spec)
        raise Exec

    monkeypatch.setattr(serve, "exec_process", fake)
    return started


def test_each_role_is_the_process_assistant_run_starts(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, rasa_port=6100, action_port=6101, port=6102)
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    assert serve.process_spec("gateway", settings) == gateway_spec(settings)
    assert serve.process_spec("actions", settings) == action_server_spec(settings)
    spec = serve.process_spec("rasa", settings, model)
    assert spec == rasa_spec(settings, model, port=6100)
    assert spec.command[1:4] == ["-m", "assistant.rasa.server", "run"]  # the launcher, always
    endpoints = yaml.safe_load((tmp_path / "endpoints-6100.yml").read_text())  # rendered from the settings
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:6101/webhook"


def test_rasa_finds_the_model_of_the_code_and_never_trains_outside_development(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    production = make_settings(
        tmp_path, app_env="production", models_dir=tmp_path / "models", model_cache_dir=tmp_path / "cache"
    )
    with pytest.raises(serve.ServeError, match="aucun modèle entraîné"):
        serve.rasa_model(production, None)
    baked = tmp_path / "models" / f"{model_name()}.tar.gz"
    baked.parent.mkdir()
    baked.write_bytes(b"")
    assert serve.rasa_model(production, None) == baked
    with pytest.raises(serve.ServeError, match="modèle introuvable"):
        serve.rasa_model(production, tmp_path / "missing.tar.gz")
    trained: list[bool] = []
    monkeypatch.setattr("assistant.rasa.training.ensure_model", lambda s: trained.append(True) or baked)
    assert serve.rasa_model(make_settings(tmp_path, app_env="development"), None) == baked and trained


def test_each_role_checks_the_secrets_it_uses(
    environment: pytest.MonkeyPatch,
    tmp_path: Path,
    execs: list[ProcessSpec],
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in (("APP_ENV", "production"), ("VAR_DIR", str(tmp_path)), ("RASA_TOKEN", "court")):
        environment.setenv(name, value)
    environment.delenv("SECRET_KEY", raising=False)
    with pytest.raises(Exec):  # the action server uses no secret
        main(["serve", "actions"])
    assert execs[-1].command[1:3] == ["-m", "rasa_sdk"]
    model = tmp_path / "m.tar.gz"
    model.write_bytes(b"")
    assert main(["serve", "rasa", "--model", str(model)]) == 2
    assert "RASA_TOKEN est absent ou trop faible" in capsys.readouterr().err
    environment.setenv("RASA_TOKEN", STRONG)
    read_settings.cache_clear()
    with pytest.raises(Exec):  # Rasa needs its token only, not the gateway's SECRET_KEY
        main(["serve", "rasa", "--model", str(model)])
    assert execs[-1].env["RASA_TOKEN"] == STRONG  # by the environment, never on the command line
    assert not any(STRONG in word for word in execs[-1].command)
    assert main(["serve", "gateway"]) == 2
    assert "SECRET_KEY est absent ou trop faible" in capsys.readouterr().err
    assert len(execs) == 2


def test_the_role_of_a_container_is_read_from_its_first_process(tmp_path: Path) -> None:
    cases = {
        "gateway": ["/app/.venv/bin/python", "-m", "uvicorn", "assistant.gateway.app:create_app"],
        "rasa": ["python", "-m", "assistant.rasa.server", "run", "--model", "m.tar.gz"],
        "actions": ["python", "-m", "rasa_sdk", "--actions", "actions"],
        "rasa ": ["/app/.venv/bin/python", "/app/.venv/bin/assistant", "serve", "rasa"],  # before the exec
    }
    for role, argv in cases.items():
        (tmp_path / "cmdline").write_bytes(b"\0".join(a.encode() for a in argv) + b"\0")
        assert health.detect_role(tmp_path / "cmdline") == role.strip()
    (tmp_path / "cmdline").write_bytes(b"postgres\0")
    assert health.detect_role(tmp_path / "cmdline") is None
    assert health.detect_role(tmp_path / "missing") is None


def _wait_healthy(role: str, env: dict[str, str], process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    command = [sys.executable, "-m", "assistant.ops.health", role]
    while subprocess.run(command, env=env, capture_output=True, check=False).returncode != 0:
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.5)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)  # the server itself gets it: serve replaced itself with it
    assert process.wait(timeout=30) is not None


def test_serve_actions_becomes_the_action_server(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "APP_ENV": "production", "ACTION_PORT": str(port), "VAR_DIR": str(tmp_path)}
    for name in ("RASA_TOKEN", "SECRET_KEY"):
        env.pop(name, None)
    log = tmp_path / "actions.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.ops.cli", "serve", "actions"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy("actions", env, process, log)
            assert health.detect_role(Path(f"/proc/{process.pid}/cmdline")) == "actions"  # same PID
            assert httpx.get(f"http://127.0.0.1:{port}/health").json() == {"status": "ok"}
        finally:
            _stop(process)


def test_serve_gateway_migrates_in_development_and_serves(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "development",
        "PORT": str(port),
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'gw.db'}",
        "RASA_URL": f"http://127.0.0.1:{free_port()}",  # nothing there
        "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}",
        "REDIS_URL": "",
    }
    log = tmp_path / "gateway.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.ops.cli", "serve", "gateway"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/livez", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
            assert health.detect_role(Path(f"/proc/{process.pid}/cmdline")) == "gateway"
            checked = subprocess.run(
                [sys.executable, "-m", "assistant.ops.health", "gateway"],
                env=env,
                capture_output=True,
                text=True,
            )
            assert checked.returncode == 1 and "gateway : réponse 503" in checked.stderr  # Rasa is down
            with sqlite3.connect(tmp_path / "gw.db") as db:  # DB_AUTO_MIGRATE: on in development
                versions = MIGRATIONS.joinpath("versions").glob("[0-9][0-9][0-9][0-9]_*.py")
                newest = max(p.name[:4] for p in versions)
                assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(newest,)]
        finally:
            _stop(process)
