"""Start the three processes, wait until each is healthy, stream their logs, stop them together."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Optional

import httpx


@dataclass
class ProcessSpec:
    name: str
    command: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)
    cwd: Optional[str] = None
    health_headers: dict[str, str] = field(default_factory=dict)  # Rasa's token, never in the URL


class ManagedProcess:
    """A child in its own process group, with its output prefixed and forwarded."""

    def __init__(self, spec: ProcessSpec, sink: Callable[[str], None]) -> None:
        self.spec = spec
        self.sink = sink
        self.popen: Optional[subprocess.Popen[bytes]] = None
        self._pump: Optional[threading.Thread] = None

    def start(self) -> None:
        env = {**os.environ, **self.spec.env, "PYTHONUNBUFFERED": "1"}
        self.popen = subprocess.Popen(
            self.spec.command,
            cwd=self.spec.cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._pump = threading.Thread(target=self._forward, args=(self.popen.stdout,), daemon=True)
        self._pump.start()

    def _forward(self, stream: Optional[IO[bytes]]) -> None:
        if stream is None:
            return
        prefix = f"[{self.spec.name}]"
        for raw in iter(stream.readline, b""):
            self.sink(f"{prefix} {raw.decode('utf-8', 'replace').rstrip()}")

    @property
    def returncode(self) -> Optional[int]:
        return None if self.popen is None else self.popen.poll()

    def healthy(self) -> bool:
        try:
            response = httpx.get(self.spec.health_url, headers=self.spec.health_headers, timeout=2.0)
            return response.status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self, grace: float = 15.0) -> None:
        """SIGTERM to the whole group, SIGKILL after `grace` seconds: no orphan left."""
        if self.popen is None:
            return
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.popen.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        with contextlib.suppress(ProcessLookupError):  # the group may outlive its leader
            os.killpg(self.popen.pid, signal.SIGKILL)
        if self._pump is not None:
            self._pump.join(timeout=2.0)


class StackFailed(RuntimeError):
    pass


class Stack:
    def __init__(self, specs: list[ProcessSpec], sink: Callable[[str], None] = print) -> None:
        self.sink = sink
        self.processes = [ManagedProcess(spec, self._locked(sink)) for spec in specs]

    @staticmethod
    def _locked(sink: Callable[[str], None]) -> Callable[[str], None]:
        lock = threading.Lock()

        def write(line: str) -> None:
            with lock:
                sink(line)

        return write

    def start(self, timeout: float = 300.0, abort: Optional[threading.Event] = None) -> None:
        for process in self.processes:
            process.start()
        deadline = time.monotonic() + timeout
        waiting = list(self.processes)
        while waiting:
            for process in list(waiting):
                if process.returncode is not None:
                    self.stop()
                    raise StackFailed(f"{process.spec.name} exited with code {process.returncode}")
                if process.healthy():
                    waiting.remove(process)
            if abort is not None and abort.is_set():
                self.stop()
                raise StackFailed("interrupted")
            if time.monotonic() > deadline:
                names = ", ".join(p.spec.name for p in waiting)
                self.stop()
                raise StackFailed(f"not healthy after {timeout:.0f} s: {names}")
            time.sleep(0.5)

    def first_exit(self) -> Optional[ManagedProcess]:
        return next((p for p in self.processes if p.returncode is not None), None)

    def stop(self) -> None:
        threads = [threading.Thread(target=p.stop) for p in reversed(self.processes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def serve_forever(stack: Stack, on_ready: Callable[[], None]) -> int:
    """Run until SIGINT/SIGTERM (exit 0) or until a child dies (exit 1)."""
    stopping = threading.Event()

    def _handler(signum: int, _frame: object) -> None:
        stopping.set()

    previous = {s: signal.signal(s, _handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            stack.start(abort=stopping)
        except StackFailed as exc:
            stack.sink(f"[assistant] échec du démarrage : {exc}")
            return 1
        on_ready()
        while not stopping.wait(0.5):
            dead = stack.first_exit()
            if dead is not None:
                stack.sink(
                    f"[assistant] {dead.spec.name} s'est arrêté (code {dead.returncode}) : arrêt de tout"
                )
                stack.stop()
                return 1
        stack.sink("[assistant] arrêt demandé : arrêt des processus")
        stack.stop()
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
