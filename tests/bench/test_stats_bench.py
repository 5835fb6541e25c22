"""The indicators' benchmark on a small generated year (the million-message run: bench/stats_bench.py)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from bench.stats_bench import bench_one
from bench.stats_data import generate


def test_the_generator_makes_a_realistic_mix() -> None:
    rows = generate(20_000, datetime(2026, 1, 1, tzinfo=timezone.utc), 365, seed=3)
    t = rows.tables
    conversations = len(t["conversations"])
    assert 20_000 <= rows.messages < 20_100 and 1_500 < conversations < 2_500  # about 10 a conversation
    assert 0.04 < len(t["handoffs"]) / conversations < 0.12
    assert 0.2 < len(t["csat_responses"]) / conversations < 0.5
    assert {c[1] for c in t["conversations"]} == {"web", "telegram", "sms"}
    assert rows == generate(20_000, datetime(2026, 1, 1, tzinfo=timezone.utc), 365, seed=3)  # reproducible


async def test_every_query_runs_well_under_a_second_on_a_small_year(tmp_path: Path) -> None:
    result = await bench_one(f"sqlite+aiosqlite:///{tmp_path / 'bench.db'}", 20_000, repeat=1)
    assert result["messages"] >= 20_000
    assert len(result["queries"]) == 6
    assert all(q["best_s"] < 1.0 for q in result["queries"].values()), result["queries"]
