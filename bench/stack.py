"""Start and stop the stacks under test, on free ports, each with its own temporary VAR_DIR.

With REDIS_URL set (from the environment, as for the stack), ours runs in its scaled
configuration: Rasa's tracker store and our atomic lock store in Redis (a key prefix of its own,
deleted afterwards), so that `--rasa-workers` Rasa processes, balanced by the gateway, share the
two cores; without it, the
embedded defaults and one Rasa worker. The baseline is `rasa run` as a Rasa user gets it by
default: the in-memory tracker and lock stores, one process, only the action endpoint configured.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, TextIO

import yaml

from assistant.config import Settings
from assistant.ops.stack import action_server_spec, gateway_spec, rasa_spec, rasa_specs
from assistant.ops.supervisor import ProcessSpec, Stack, StackFailed

HOST = "127.0.0.1"
RASA_TIMEOUT = 20.0  # below the load generator's request timeout, so delays show up as such
# The per-conversation rate limit (20/min by default) would refuse the interactive shape's
# 60 messages a minute: the check still runs, with a limit the synthetic load never reaches.
RASA_WORKERS = 2
EXTRA_ENV = {
    "DATABASE_URL": "",
    "RATE_LIMIT_PER_MINUTE": "1000000",
    "RASA_TIMEOUT": str(RASA_TIMEOUT),
    "OPENING_HOURS": "always",
    "LOG_LEVEL": "WARNING",
}


def free_port(count: int = 1) -> int:
    """A free port, and the `count - 1` after it free too (several Rasa processes)."""
    while True:
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            port: int = sock.getsockname()[1]
        if port + count - 1 <= 65535 and all(_bindable(port + i) for i in range(1, count)):
            return port


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def bench_settings(
    var_dir: Path, action_port: Optional[int] = None, redis_url: str = "", rasa_workers: int = 1
) -> Settings:
    var_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        app_env="development",
        host=HOST,
        port=free_port(),
        rasa_port=free_port(rasa_workers if redis_url else 1),
        rasa_url="",
        rasa_timeout=RASA_TIMEOUT,
        action_port=action_port or free_port(),
        action_server_url="",
        var_dir=var_dir,
        database_url="",
        redis_url=redis_url,
        redis_key_prefix="bench" + secrets.token_hex(4),
        rasa_workers=rasa_workers if redis_url else 1,
        opening_hours="always",
    )
    return settings.with_dev_secrets()


def _with_env(spec: ProcessSpec) -> ProcessSpec:
    spec.env.update(EXTRA_ENV)
    return spec


def plain_rasa_spec(settings: Settings, model: Path) -> ProcessSpec:
    """`rasa run` as its documentation starts it: REST channel only, no HTTP API, default stores."""
    spec = rasa_spec(settings, model, api=False)
    endpoints = settings.var_dir / "endpoints-plain.yml"
    endpoints.write_text(
        yaml.safe_dump({"action_endpoint": {"url": f"{settings.action_base_url}/webhook"}}), encoding="utf-8"
    )
    spec.command[spec.command.index("--endpoints") + 1] = str(endpoints)
    spec.env = {**EXTRA_ENV, "RASA_TELEMETRY_ENABLED": "false"}
    return spec


def delete_redis_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@dataclass
class Running:
    """A started stack: where to send the load, and the process trees to sample."""

    url: str
    rasa_url: Optional[str] = None
    pids: dict[str, int] = field(default_factory=dict)
    startup_seconds: Optional[float] = None


class BenchStacks:
    """Owns every process the benchmark starts; stops them all on exit, newest first."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="bench-"))
        self.log: TextIO = (self.root / "stacks.log").open("a", encoding="utf-8")
        self.stacks: list[Stack] = []
        self.actions: Optional[Settings] = None
        self.action_pid: Optional[int] = None
        self.redis_prefixes: list[tuple[str, str]] = []

    def _sink(self, line: str) -> None:
        self.log.write(line + "\n")
        self.log.flush()

    def _start(self, specs: list[ProcessSpec]) -> tuple[Stack, float]:
        stack = Stack(specs, sink=self._sink)
        self.stacks.append(stack)
        started = time.monotonic()
        try:
            stack.start(timeout=300)
        except StackFailed:
            tail = (self.root / "stacks.log").read_text(encoding="utf-8")[-4000:]
            print(tail, file=sys.stderr)
            raise
        return stack, time.monotonic() - started

    @staticmethod
    def _pids(stack: Stack) -> dict[str, int]:
        return {p.spec.name: p.popen.pid for p in stack.processes if p.popen is not None}

    def start_ours(self, model: Path, redis_url: str = "", rasa_workers: int = RASA_WORKERS) -> Running:
        """Action server, Rasa and the gateway, as `assistant run` starts them (Redis when given)."""
        settings = bench_settings(self.root / "ours", redis_url=redis_url, rasa_workers=rasa_workers)
        if redis_url:
            self.redis_prefixes.append((redis_url, settings.redis_key_prefix))
        specs = [
            _with_env(s)
            for s in (action_server_spec(settings), *rasa_specs(settings, model), gateway_spec(settings))
        ]
        stack, seconds = self._start(specs)
        self.actions, self.action_pid = settings, self._pids(stack)["actions"]
        return Running(
            url=f"http://{settings.host}:{settings.port}",
            rasa_url=settings.rasa_base_url,
            pids=self._pids(stack),
            startup_seconds=seconds,
        )

    def start_baseline(self, model: Path) -> Running:
        """One plain `rasa run` on the same model, sharing the action server (started if needed)."""
        specs: list[ProcessSpec] = []
        if self.actions is None:
            self.actions = bench_settings(self.root / "actions")
            specs.append(_with_env(action_server_spec(self.actions)))
        settings = bench_settings(self.root / "baseline", action_port=self.actions.action_port)
        specs.append(plain_rasa_spec(settings, model))
        stack, seconds = self._start(specs)
        pids = self._pids(stack)
        self.action_pid = pids.get("actions", self.action_pid)
        if self.action_pid is not None:
            pids["actions"] = self.action_pid
        return Running(url=settings.rasa_base_url, pids=pids, startup_seconds=seconds)

    def close(self) -> None:
        for stack in reversed(self.stacks):
            stack.stop()
        for url, prefix in self.redis_prefixes:
            delete_redis_keys(url, prefix)
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> BenchStacks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
