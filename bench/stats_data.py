"""Realistic generated records for the indicators: conversations, messages, handoffs, CSAT, reviews.

Rows are built in Python (seeded, reproducible) and written in bulk: `executemany` on SQLite,
COPY on PostgreSQL (asyncpg). About ten messages per conversation: `messages=1_000_000` is a year
of a busy service (100,000 conversations).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from assistant.storage import Database

CHANNELS = (("web", 0.6), ("telegram", 0.25), ("sms", 0.15))
SITUATIONS = (
    ("F14128", 0.22), ("F16225", 0.14), ("F16507", 0.12), ("F33362", 0.1), ("F1350", 0.07),
    ("F2115", 0.05), ("F34635", 0.04), ("F31029", 0.03), ("", 0.23),
)  # fmt: skip
REASONS = (("explicit_request", 0.55), ("misunderstood", 0.2), ("frustration", 0.15), ("sensitive", 0.1))
SCORES = ((5, 0.38), (4, 0.3), (3, 0.14), (2, 0.09), (1, 0.09))
CATEGORIES = ("jargon", "too_long", "missing_info", "unclear_documents", "hard_to_fill", "other")
TABLES = (
    "conversations", "messages", "conversation_situations", "handoffs", "csat_responses",
    "answer_ratings", "review_items", "feedback",
)  # fmt: skip


def pick(rng: random.Random, weighted: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


@dataclass
class Rows:
    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: {t: [] for t in TABLES})

    @property
    def messages(self) -> int:
        return len(self.tables["messages"])


COLUMNS = {
    "conversations": ("id", "channel", "sender_ref", "mode", "created_at", "updated_at"),
    "messages": ("id", "conversation_id", "role", "text", "status", "created_at"),
    "conversation_situations": ("conversation_id", "situation", "created_at"),
    "handoffs": (
        "id",
        "conversation_id",
        "status",
        "reason",
        "priority",
        "packet",
        "created_at",
        "claimed_at",
        "closed_at",
    ),
    "csat_responses": (
        "conversation_id",
        "channel",
        "trigger",
        "status",
        "score",
        "reason",
        "asked_at",
        "answered_at",
    ),
    "answer_ratings": ("message_id", "conversation_id", "helpful", "created_at"),
    "review_items": (
        "conversation_id",
        "message_id",
        "source",
        "channel",
        "text",
        "masked",
        "status",
        "created_at",
    ),
    "feedback": (
        "created_at",
        "channel",
        "conversation_id",
        "document_label",
        "document_kind",
        "categories",
        "description",
        "situations",
        "masked",
    ),
}


def generate(messages: int, start: datetime, days: int, seed: int = 21) -> Rows:
    """Conversations spread over `days` from `start` until about `messages` messages exist."""
    rng = random.Random(seed)  # noqa: S311 - reproducible records, not security
    rows = Rows()
    t = rows.tables
    senders: dict[str, list[str]] = {"telegram": [], "sms": []}
    message_id = 0
    number = 0
    while rows.messages < messages:
        number += 1
        channel = pick(rng, CHANNELS)
        created = start + timedelta(seconds=rng.uniform(0, days * 86_400))
        sender = None
        if channel in senders:  # a fifth come back with the same number or chat
            pool = senders[channel]
            sender = rng.choice(pool) if pool and rng.random() < 0.2 else f"{channel}-{number}"
            pool.append(sender)
        cid = f"c{number:07d}{rng.getrandbits(32):08x}"
        t["conversations"].append((cid, channel, sender, "bot", created, created))
        situation = pick(rng, SITUATIONS)
        if situation:
            t["conversation_situations"].append((cid, situation, created))
        turns = min(15, 1 + int(rng.expovariate(1 / 4)))
        when = created
        message_id += 1
        t["messages"].append((message_id, cid, "bot", "Bonjour, je suis l'assistant.", "done", when))
        typed: list[int] = []
        for n in range(turns):
            when += timedelta(seconds=rng.uniform(5, 90))
            message_id += 1
            t["messages"].append((message_id, cid, "user", f"message {n}", "done", when))
            typed.append(message_id)
            if rng.random() < 0.08:
                source = "misunderstood" if rng.random() < 0.7 else "low_confidence"
                t["review_items"].append(
                    (cid, message_id, source, channel, f"message {n}", "[]", "open", when)
                )
            message_id += 1
            t["messages"].append((message_id, cid, "bot", "Réponse", "done", when + timedelta(seconds=1)))
        if rng.random() < 0.12:
            t["answer_ratings"].append((typed[0], cid, rng.random() < 0.7, when))
        if rng.random() < 0.08:
            reason = pick(rng, REASONS)
            opened = when + timedelta(seconds=2)
            claimed = opened + timedelta(seconds=rng.expovariate(1 / 240))
            reply = claimed + timedelta(seconds=rng.uniform(10, 120))
            t["handoffs"].append(
                (
                    f"h{number:07d}",
                    cid,
                    "closed",
                    reason,
                    1,
                    "{}",
                    opened,
                    claimed,
                    reply + timedelta(minutes=5),
                )
            )
            message_id += 1
            t["messages"].append((message_id, cid, "agent", "Bonjour, je suis conseillère.", "done", reply))
            when = reply
            if reason == "misunderstood":
                t["review_items"].append(
                    (cid, typed[-1], "handoff_misunderstood", channel, "message", "[]", "open", opened)
                )
        if rng.random() < 0.35:
            answered = rng.random() < 0.6
            score = pick(rng, SCORES) if answered else None
            status = "answered" if answered else "skipped"
            asked = when + timedelta(seconds=1)
            t["csat_responses"].append(
                (cid, channel, "end", status, score, None, asked, asked if answered else None)
            )
            if score is not None and score <= 2:
                t["review_items"].append(
                    (cid, typed[0], "csat_negative", channel, "message 0", "[]", "open", asked)
                )
        if rng.random() < 0.01:
            cats = "," + ",".join(rng.sample(CATEGORIES, rng.randint(1, 2))) + ","
            t["feedback"].append(
                (when, channel, cid, "Formulaire", "form", cats, "Trop compliqué", "[]", "[]")
            )
    return rows


def chunks(items: list[tuple[Any, ...]], size: int = 20_000) -> Iterator[list[tuple[Any, ...]]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


async def write(db: Database, rows: Rows) -> None:
    """Bulk-write the rows into a database already at the head of the migrations."""
    if db.url.startswith("sqlite"):
        await db.run_sync(lambda conn: _write_sqlite(conn, rows))
        return
    async with db.connect() as conn:
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection  # type: ignore[attr-defined]
        for table in TABLES:
            records = [_pg_record(table, r) for r in rows.tables[table]]
            await driver.copy_records_to_table(table, records=records, columns=list(COLUMNS[table]))
        await driver.execute("SELECT setval('messages_id_seq', (SELECT max(id) FROM messages))")
    # What autovacuum does on a live database: statistics, and the visibility map that lets
    # PostgreSQL count from the indexes alone.
    await db.run_sync(_vacuum)


def _vacuum(conn: sa.engine.Connection) -> None:
    conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")


def _pg_record(table: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
    json_columns = {"packet", "masked", "situations"}
    return tuple(
        value if column not in json_columns else str(value)
        for column, value in zip(COLUMNS[table], row, strict=True)
    )


def _write_sqlite(conn: sa.engine.Connection, rows: Rows) -> None:
    raw: Any = conn.connection
    cursor = raw.cursor()
    for table in TABLES:
        columns = COLUMNS[table]
        # Table and column names are this module's constants; the values are bound.
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
        for chunk in chunks(rows.tables[table]):
            cursor.executemany(sql, [tuple(_sqlite_value(v) for v in r) for r in chunk])
    cursor.execute("ANALYZE")
    raw.commit()
