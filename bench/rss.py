"""Peak resident memory of processes and their children, sampled from /proc every 0.5 s.

Two measures: the sum of VmRSS (counts a page shared by several processes once per process) and
the sum of Pss (proportional set size: a shared page is divided among the processes sharing it,
so the sum is the memory the stack really occupies).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Optional


def _kib_field(path: str, field: str) -> int:
    """A `Name:   123 kB` line of a /proc file, in bytes (0 when the process is gone)."""
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def rss_bytes(pid: int) -> int:
    """VmRSS of one process (0 when it is gone or is a zombie)."""
    return _kib_field(f"/proc/{pid}/status", "VmRSS:")


def pss_bytes(pid: int) -> int:
    """Pss of one process from /proc/PID/smaps_rollup (0 when it is gone)."""
    return _kib_field(f"/proc/{pid}/smaps_rollup", "Pss:")


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    return children


def tree(pid: int, children: Optional[dict[int, list[int]]] = None) -> list[int]:
    """The process and all its descendants."""
    children = _children() if children is None else children
    found, todo = [pid], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tree_rss(pid: int, children: Optional[dict[int, list[int]]] = None) -> int:
    return sum(rss_bytes(p) for p in tree(pid, children))


def tree_pss(pid: int, children: Optional[dict[int, list[int]]] = None) -> int:
    return sum(pss_bytes(p) for p in tree(pid, children))


class RssSampler:
    """Samples named process trees in a thread; keeps each tree's peak and the peak of their sum."""

    def __init__(self, roots: Mapping[str, int], interval: float = 0.5) -> None:
        self.roots = dict(roots)
        self.interval = interval
        self.peaks: dict[str, int] = dict.fromkeys(self.roots, 0)
        self.total_peak = 0
        self.total_pss_peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def sample(self) -> None:
        children = _children()
        total = pss = 0
        for name, pid in self.roots.items():
            value = tree_rss(pid, children)
            self.peaks[name] = max(self.peaks[name], value)
            total += value
            pss += tree_pss(pid, children)
        self.total_peak = max(self.total_peak, total)
        self.total_pss_peak = max(self.total_pss_peak, pss)
        self.samples += 1

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sample()
