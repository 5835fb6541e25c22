"""`assistant run` as a person runs it: starts everything, serves, stops without orphans."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from assistant.config import PROJECT_ROOT
from tests.helpers import free_port


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_run_starts_serves_and_stops(trained_model: Path, tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "development",
        "PORT": str(port),
        "RASA_PORT": str(free_port()),
        "ACTION_PORT": str(free_port()),
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "MODELS_DIR": str(trained_model.parent),
    }
    log = (tmp_path / "run.log").open("w+")
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.ops.cli", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 240
        while "Tout est prêt" not in (tmp_path / "run.log").read_text():
            assert process.poll() is None, (tmp_path / "run.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "not ready in time"
            time.sleep(0.5)
        ready_after = time.monotonic() - started
        output = (tmp_path / "run.log").read_text()
        assert f"http://127.0.0.1:{port}/docs" in output
        for prefix in ("[rasa]", "[actions]", "[gateway]"):
            assert prefix in output
        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert health.status_code == 200, health.text
        conversation = httpx.post(f"http://127.0.0.1:{port}/api/conversations", timeout=30).json()
        reply = httpx.post(
            f"http://127.0.0.1:{port}/api/conversations/{conversation['id']}/messages",
            json={"text": "bonjour"},
            timeout=30,
        )
        assert reply.status_code == 200 and reply.json()["messages"]
        children = _descendants(process.pid)
        assert len(children) >= 3
        print(f"assistant run healthy after {ready_after:.1f} s")
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
    assert code == 0
    time.sleep(0.5)
    assert [pid for pid in children if _alive(pid)] == []


def test_run_stops_everything_when_a_child_dies(trained_model: Path, tmp_path: Path) -> None:
    rasa_port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "development",
        "PORT": str(free_port()),
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(free_port()),
        "VAR_DIR": str(tmp_path),
        "MODELS_DIR": str(trained_model.parent),
    }
    log = (tmp_path / "run.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.ops.cli", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 240
        while "Tout est prêt" not in (tmp_path / "run.log").read_text():
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.5)
        children = _descendants(process.pid)
        ours = "assistant.rasa.server\x00run"  # python -m assistant.rasa.server run ...
        rasa = next(pid for pid in children if ours in Path(f"/proc/{pid}/cmdline").read_text())
        os.kill(rasa, signal.SIGKILL)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 1
    assert "s'est arrêté" in (tmp_path / "run.log").read_text()
    time.sleep(0.5)
    assert [pid for pid in children if _alive(pid)] == []
