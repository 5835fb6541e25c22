"""RSS sampling from /proc, on this process and a child of it."""

from __future__ import annotations

import os
import subprocess
import sys

from bench.rss import RssSampler, pss_bytes, rss_bytes, tree, tree_pss, tree_rss


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


def test_pss_counts_pages_shared_with_a_forked_child_once() -> None:
    block = bytearray(os.urandom(64 * 1024 * 1024))  # touched pages, shared after fork
    pid = os.fork()
    if pid == 0:  # the child shares the parent's pages until either writes to them
        import time

        time.sleep(30)
        os._exit(0)
    try:
        rss_sum = rss_bytes(os.getpid()) + rss_bytes(pid)
        pss_sum = pss_bytes(os.getpid()) + pss_bytes(pid)
        assert pss_sum > 64 * 1024 * 1024
        assert rss_sum - pss_sum > 32 * 1024 * 1024  # the shared block is not counted twice
        assert tree_pss(os.getpid()) >= pss_sum
        assert pss_bytes(2**22 + 12345) == 0
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    del block
