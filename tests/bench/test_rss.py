"""RSS sampling from /proc, on this process and a child of it."""

from __future__ import annotations

import os
import subprocess
import sys

from bench.rss import RssSampler, rss_bytes, tree, tree_rss


def test_rss_of_this_process() -> None:
    assert rss_bytes(os.getpid()) > 10 * 1024 * 1024
    assert rss_bytes(2**22 + 12345) == 0  # no such process


def test_tree_includes_children_and_sampler_keeps_peaks() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in tree(os.getpid())
        assert tree_rss(os.getpid()) > rss_bytes(os.getpid())
        with RssSampler({"me": os.getpid()}, interval=0.05) as sampler:
            bytearray(20 * 1024 * 1024)
        assert sampler.samples >= 2
        assert sampler.peaks["me"] >= rss_bytes(child.pid) + 10 * 1024 * 1024
        assert sampler.total_peak == sampler.peaks["me"]
    finally:
        child.kill()
        child.wait()
