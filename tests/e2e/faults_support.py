"""Parts the fault tests take down and bring back: our processes, private Redis and PostgreSQL servers.

Never the shared servers: each private server runs on a free port in a temporary directory.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Optional

import httpx

from assistant.config import Settings
from assistant.ops.supervisor import ManagedProcess, ProcessSpec

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> float:
    """Poll until `predicate()`; the seconds it took."""
    started = time.monotonic()
    while not predicate():
        assert time.monotonic() - started < timeout, f"{what}: not after {timeout:.0f} s"
        time.sleep(0.2)
    return time.monotonic() - started


class Part:
    """One of our processes (Rasa, action server), stopped and started again on the same port."""

    def __init__(self, spec: ProcessSpec, log: Path) -> None:
        self.spec = spec
        self.handle = log.open("a", encoding="utf-8")
        self.process: Optional[ManagedProcess] = None

    def _sink(self, line: str) -> None:
        self.handle.write(line + "\n")
        self.handle.flush()

    def start(self) -> None:
        self.process = ManagedProcess(self.spec, self._sink)
        self.process.start()

    def wait_healthy(self, timeout: float = 240.0) -> float:
        process = self.process
        assert process is not None

        def healthy() -> bool:
            assert process.returncode is None, f"{self.spec.name} exited with {process.returncode}"
            return process.healthy()

        return wait_for(healthy, timeout, f"{self.spec.name} healthy")

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop(grace=10.0)
            self.process = None


class FakeActionServer:
    """Stands for our action server misbehaving, on its port: every request answers 500, or hangs."""

    def __init__(self, port: int, mode: str) -> None:
        release = self.release = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                if mode == "hang":
                    release.wait(120)
                    return
                body = b'{"error": "boom"}'
                self.send_response(500)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self._answer()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class PrivateRedis:
    """redis-server on a free port, its append-only file in `directory` (data survives a restart)."""

    def __init__(self, directory: Path, port: int) -> None:
        self.directory = directory
        self.port = port
        self.popen: Optional[subprocess.Popen[bytes]] = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        command = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.directory),
        ]  # fmt: skip
        self.popen = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, 20, "private redis up")

    def _answers(self) -> bool:
        try:
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, timeout=2, check=False
            )
        except subprocess.TimeoutExpired:
            return False
        return ping.stdout.strip() == b"PONG"

    def stop(self) -> None:
        if self.popen is not None:
            self.popen.terminate()
            self.popen.wait(timeout=20)
            self.popen = None


class PrivatePostgres:
    """A PostgreSQL cluster of our own (initdb in a temporary directory, pg_ctl on a free port)."""

    def __init__(self, directory: Path, port: int) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.port = port

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        # initdb and the server refuse to run as root: run them as the postgres system user.
        prefix = ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") else []
        subprocess.run([*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.directory, "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        log = str(self.directory / "server.log")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


def user_turns(settings: Settings, conversation_id: str) -> list[str]:
    """The person's messages in Rasa's tracker, reverted turns left out (Rasa's APPLIED events)."""
    response = httpx.get(
        f"{settings.rasa_base_url}/conversations/{conversation_id}/tracker",
        params={"token": settings.rasa_token, "include_events": "APPLIED"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return [str(e.get("text")) for e in response.json()["events"] if e.get("event") == "user"]
