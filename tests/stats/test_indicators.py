"""The indicators against figures counted by hand on the week of dataset.py, on both databases."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from assistant.stats.cohort import StatsFilter
from assistant.stats.summary import StatsService
from assistant.storage import Database
from assistant.storage.tables import (
    answer_ratings,
    conversation_situations,
    conversations,
    csat_responses,
    review_items,
)
from tests.stats.dataset import load

WEEK = StatsFilter(datetime(2026, 11, 2, tzinfo=timezone.utc), datetime(2026, 11, 9, tzinfo=timezone.utc))


async def test_the_week_as_counted_by_hand(stats_db: Database) -> None:
    await load(stats_db)
    stats = await StatsService(stats_db).summary(WEEK)
    assert stats["conversations"] == 6  # A B C E F G: H never wrote, D and I outside the week
    assert stats["contained"] == 3  # A; C (D came 8 days later); G
    assert stats["containment_rate"] == 0.5
    assert stats["handoffs"] == {"total": 2, "by_reason": {"explicit_request": 1, "misunderstood": 1}}
    assert stats["median_pickup_s"] == 360.0  # 120 s and 600 s
    assert stats["median_wait_s"] == 750.0  # 300 s and 1200 s
    assert stats["csat"] == {"responses": 3, "mean": 3.67, "satisfied_rate": 0.6667}  # 5, 2, 4
    assert stats["user_messages"] == 13 and stats["misunderstood_messages"] == 3
    assert stats["misunderstood_rate"] == 0.2308
    assert stats["answers_helpful"] == {"responses": 2, "helpful_rate": 0.5}
    assert stats["by_situation"] == [
        {
            "situation": "F14128",
            "conversations": 3,
            "handoff_rate": 0.3333,
            "containment_rate": 0.3333,
            "csat": {"responses": 2, "mean": 3.5, "satisfied_rate": 0.5},
        },
        {
            "situation": "F16507",
            "conversations": 1,
            "handoff_rate": 1.0,
            "containment_rate": 0.0,
            "csat": {"responses": 0, "mean": None, "satisfied_rate": None},
        },
    ]
    assert stats["complaints"]["total"] == 2
    assert {k: v for k, v in stats["complaints"]["by_category"].items() if v} == {"jargon": 2, "too_long": 1}


async def test_filters_by_channel_and_situation(stats_db: Database) -> None:
    await load(stats_db)
    service = StatsService(stats_db)
    sms = await service.summary(StatsFilter(WEEK.date_from, WEEK.date_to, channel="sms"))
    assert (sms["conversations"], sms["contained"], sms["user_messages"]) == (2, 1, 4)
    assert sms["handoffs"]["by_reason"] == {"explicit_request": 1}
    assert (sms["median_pickup_s"], sms["median_wait_s"]) == (120.0, 300.0)
    assert sms["csat"] == {"responses": 1, "mean": 2.0, "satisfied_rate": 0.0}
    assert sms["complaints"]["total"] == 1
    moving = await service.summary(StatsFilter(WEEK.date_from, WEEK.date_to, situation="F14128"))
    assert (moving["conversations"], moving["contained"]) == (3, 1)  # A B F; only A
    assert moving["misunderstood_rate"] == round(1 / 7, 4)  # A's 1 of 4 + 2 + 1 messages
    assert moving["complaints"]["total"] == 2
    empty = await service.summary(
        StatsFilter(WEEK.date_from, WEEK.date_to, channel="web", situation="F16507")
    )
    assert empty["conversations"] == 0 and empty["containment_rate"] is None
    assert empty["median_wait_s"] is None and empty["csat"]["mean"] is None


async def test_series_by_day_and_week(stats_db: Database) -> None:
    await load(stats_db)
    service = StatsService(stats_db)
    days = await service.series(WEEK, "day")
    assert [(d["period"], d["conversations"]) for d in days] == [
        ("2026-11-02", 1), ("2026-11-03", 1), ("2026-11-04", 1), ("2026-11-05", 1), ("2026-11-06", 1),
        ("2026-11-08", 1),
    ]  # fmt: skip
    assert days[1]["csat"]["mean"] == 2.0 and days[2]["misunderstood_rate"] == round(2 / 3, 4)
    two_weeks = StatsFilter(
        datetime(2026, 11, 1, tzinfo=timezone.utc), datetime(2026, 11, 16, tzinfo=timezone.utc)
    )
    weeks = await service.series(two_weeks, "week")
    # I (Sunday 1st) in the week of Monday 26 October; D (Friday 13th) in the week of the 9th
    assert [(w["period"], w["conversations"], w["contained"]) for w in weeks] == [
        ("2026-10-26", 1, 0), ("2026-11-02", 6, 3), ("2026-11-09", 1, 1),
    ]  # fmt: skip


async def test_the_records_go_with_their_conversation(stats_db: Database) -> None:
    """Purge and erasure delete conversations: situations, CSAT, ratings and review items follow."""
    await load(stats_db)
    tables = (conversation_situations, csat_responses, answer_ratings, review_items)
    async with stats_db.connect() as conn:
        await conn.execute(conversations.delete().where(conversations.c.id.in_(("conv-a", "conv-e"))))
        for table in tables:
            left = (await conn.execute(sa.select(table.c.conversation_id))).scalars().all()
            assert "conv-a" not in left and "conv-e" not in left, table.name
    stats = await StatsService(stats_db).summary(WEEK)
    assert (stats["conversations"], stats["csat"]["responses"], stats["misunderstood_messages"]) == (4, 2, 0)
