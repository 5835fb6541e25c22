"""A gateway in its own process, a stand-in for Rasa and the action server, and a login flood in
another process: what the latency test of logins under attack needs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from assistant.config import PROJECT_ROOT
from tests.helpers import free_port

FLOOD_SCRIPT = r"""
import secrets, sys, threading, time
import httpx

url, clients, seconds, spoof = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "1"
counts = {}
lock = threading.Lock()

def attack():
    with httpx.Client(timeout=30) as client:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            form = {"username": secrets.token_hex(6), "password": secrets.token_hex(8)}
            address = ".".join(str(secrets.randbelow(250) + 1) for _ in range(4))
            headers = {"X-Forwarded-For": address} if spoof else {}
            try:
                status = client.post(url + "/api/auth/token", data=form, headers=headers).status_code
            except httpx.HTTPError:
                status = 0
            with lock:
                counts[status] = counts.get(status, 0) + 1

threads = [threading.Thread(target=attack) for _ in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
print(" ".join(f"{k}:{v}" for k, v in sorted(counts.items())))
"""


@contextmanager
def gateway_process(tmp: Path, rasa_url: str, **extra_env: str) -> Iterator[str]:
    """`uvicorn assistant.gateway.app:create_app` on a free port, as `assistant serve` runs it."""
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "VAR_DIR": str(tmp),
        "DATABASE_URL": f"sqlite:///{tmp / 'flood.db'}",
        "REDIS_URL": "",
        "RASA_URL": rasa_url,
        "ACTION_SERVER_URL": rasa_url,
        "RASA_TOKEN": "t" * 32,
        "SECRET_KEY": "s" * 32,
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "OPENING_HOURS": "always",
        **extra_env,
    }
    command = [
        sys.executable, "-m", "uvicorn", "assistant.gateway.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    log = (tmp / "gateway.log").open("w")
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp / "gateway.log").read_text()
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the gateway did not start in 60 s"
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def start_flood(url: str, clients: int, seconds: float, spoof: bool = False) -> subprocess.Popen[str]:
    """`clients` threads in another process, posting bad logins with random usernames (and, with
    `spoof`, a random X-Forwarded-For each time: many addresses behind a trusted proxy)."""
    return subprocess.Popen(  # niced: an attacker's CPU is not the gateway's (here, one machine)
        [
            "nice",
            "-n",
            "10",
            sys.executable,
            "-c",
            FLOOD_SCRIPT,
            url,
            str(clients),
            str(seconds),
            "1" if spoof else "0",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
