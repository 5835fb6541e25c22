"""Time the indicators' queries on a generated year: `python -m bench.stats_bench [--messages N]`.

Generates about N messages (default 1,000,000) over 365 days into a fresh SQLite file and/or a
fresh PostgreSQL database (`--postgres URL`, a server where we may create and drop a database),
then times each query (best and median of --repeat runs) and writes bench/results/stats-<db>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from assistant.stats.cohort import StatsFilter
from assistant.stats.opendata import opendata_rows
from assistant.stats.summary import StatsService
from assistant.storage import Database
from bench.stats_data import generate, write

RESULTS = Path(__file__).resolve().parent / "results"
START = datetime(2025, 12, 1, tzinfo=timezone.utc)
DAYS = 365


def queries(db: Database) -> dict[str, Callable[[], Awaitable[Any]]]:
    service = StatsService(db)
    year = StatsFilter(START, START + timedelta(days=DAYS))
    month = StatsFilter(START + timedelta(days=300), START + timedelta(days=330))
    return {
        "summary, a year": lambda: service.summary(year),
        "summary, a month": lambda: service.summary(month),
        "summary, a year, sms": lambda: service.summary(
            StatsFilter(year.date_from, year.date_to, channel="sms")
        ),
        "summary, a year, F14128": lambda: service.summary(
            StatsFilter(year.date_from, year.date_to, situation="F14128")
        ),
        "series by week, a year": lambda: service.series(year, "week"),
        "open data, a year": lambda: opendata_rows(db, year),
    }


async def timed(db: Database, repeat: int) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, run in queries(db).items():
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            await run()
            times.append(time.perf_counter() - started)
        out[name] = {"best_s": round(min(times), 3), "median_s": round(statistics.median(times), 3)}
    return out


async def bench_one(url: str, messages: int, repeat: int) -> dict[str, Any]:
    db = Database(url, migrate=True)
    await db.start()
    try:
        started = time.perf_counter()
        rows = generate(messages, START, DAYS)
        await write(db, rows)
        loaded = time.perf_counter() - started
        async with db.connect() as conn:
            count = (await conn.execute(sa.text("SELECT count(*) FROM messages"))).scalar()
            conversations = (await conn.execute(sa.text("SELECT count(*) FROM conversations"))).scalar()
        return {
            "load_average": [round(x, 2) for x in os.getloadavg()],  # the machine is shared
            "database": url.split(":", 1)[0].split("+")[0],
            "messages": count,
            "conversations": conversations,
            "generate_and_load_s": round(loaded, 1),
            "queries": await timed(db, repeat),
        }
    finally:
        await db.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default="", help="postgresql://user@host:port/db (admin access)")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args(argv)
    results = []
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'stats.db'}"
            results.append(asyncio.run(bench_one(url, args.messages, args.repeat)))
    if args.postgres:
        results.append(asyncio.run(_bench_postgres(args.postgres, args.messages, args.repeat)))
    for result in results:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        path = RESULTS / f"stats-{result['database']}.json"
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


async def _bench_postgres(admin_url: str, messages: int, repeat: int) -> dict[str, Any]:
    """In a database of its own, created then dropped on the server of `admin_url`."""
    name = "stats_bench_" + secrets.token_hex(4)
    base, _, _ = admin_url.rpartition("/")
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = base.replace("postgresql://", "postgresql+asyncpg://", 1) + "/" + name
        return await bench_one(url, messages, repeat)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
