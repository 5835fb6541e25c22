"""The process supervisor behind `assistant run`, with small real child processes."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from assistant.ops.supervisor import ProcessSpec, Stack, StackFailed, serve_forever
from tests.helpers import free_port

SERVER = (
    "import http.server, os, sys\n"
    "print('listening', flush=True)\n"
    "os.fork() == 0 and __import__('time').sleep(600)\n"  # a grandchild, to check no orphan is left
    "http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), http.server.SimpleHTTPRequestHandler)"
    ".serve_forever()\n"
)


def server_spec(name: str) -> ProcessSpec:
    port = free_port()
    return ProcessSpec(
        name=name,
        command=[sys.executable, "-c", SERVER, str(port)],
        health_url=f"http://127.0.0.1:{port}/",
    )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def group_members(pgid: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry))
    return members


def test_start_waits_for_health_and_prefixes_logs() -> None:
    lines: list[str] = []
    stack = Stack([server_spec("one"), server_spec("two")], sink=lines.append)
    stack.start(timeout=20)
    try:
        assert all(p.healthy() for p in stack.processes)
    finally:
        stack.stop()
    assert "[one] listening" in lines and "[two] listening" in lines


def test_stop_leaves_no_orphan() -> None:
    stack = Stack([server_spec("one")], sink=lambda _: None)
    stack.start(timeout=20)
    pgid = stack.processes[0].popen.pid  # type: ignore[union-attr]
    assert len(group_members(pgid)) >= 2
    stack.stop()
    time.sleep(0.2)
    assert group_members(pgid) == []


def test_start_fails_when_a_child_dies() -> None:
    dying = ProcessSpec(
        name="bad", command=[sys.executable, "-c", "raise SystemExit(3)"], health_url="http://127.0.0.1:1/"
    )
    good = server_spec("good")
    stack = Stack([good, dying], sink=lambda _: None)
    with pytest.raises(StackFailed, match="bad exited with code 3"):
        stack.start(timeout=20)
    assert stack.processes[0].returncode is not None


def test_serve_forever_stops_everything_when_one_dies() -> None:
    stack = Stack([server_spec("one"), server_spec("two")], sink=lambda _: None)
    ready = threading.Event()
    killer = threading.Thread(target=lambda: (ready.wait(20), stack.processes[1].popen.kill()))  # type: ignore[union-attr]
    killer.start()
    code = serve_forever(stack, ready.set)
    killer.join()
    assert code == 1
    assert all(p.returncode is not None for p in stack.processes)


def test_serve_forever_stops_on_sigterm() -> None:
    stack = Stack([server_spec("one")], sink=lambda _: None)
    ready = threading.Event()
    killer = threading.Thread(target=lambda: (ready.wait(20), os.kill(os.getpid(), 15)))
    killer.start()
    code = serve_forever(stack, ready.set)
    killer.join()
    assert code == 0
    assert not alive(stack.processes[0].popen.pid) or stack.processes[0].returncode is not None  # type: ignore[union-attr]
