"""Open data on both databases: weekly rows per channel and situation, counts from 1 to 4 left empty."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from assistant.stats.cohort import StatsFilter
from assistant.stats.opendata import COLUMNS, opendata_rows, to_csv
from assistant.storage import Database
from assistant.storage.tables import (
    conversation_situations,
    conversations,
    csat_responses,
    messages,
    review_items,
)

MONDAY = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
SCORES = [5, 5, 4, 4, 2, 1]


async def load(db: Database) -> None:
    """12 web conversations about F14128 (2 messages each, 5 misunderstood, 6 CSAT), 3 by SMS."""
    async with db.connect() as conn:
        for n in range(15):
            cid = f"od-{n:02d}"
            channel = "web" if n < 12 else "sms"
            start = MONDAY + timedelta(hours=n)
            await conn.execute(
                conversations.insert().values(id=cid, channel=channel, created_at=start, updated_at=start)
            )
            for k in range(2):
                result = await conn.execute(
                    messages.insert().values(conversation_id=cid, role="user", text="x", created_at=start)
                )
                if n < 5 and k == 0:
                    await conn.execute(
                        review_items.insert().values(
                            conversation_id=cid,
                            message_id=result.inserted_primary_key[0],
                            source="misunderstood",
                            channel=channel, text="x", masked=[], created_at=start,
                        )
                    )  # fmt: skip
            if channel == "web":
                await conn.execute(
                    conversation_situations.insert().values(
                        conversation_id=cid, situation="F14128", created_at=start
                    )
                )
            if n < len(SCORES):
                await conn.execute(
                    csat_responses.insert().values(
                        conversation_id=cid,
                        channel=channel,
                        trigger="end",
                        status="answered",
                        score=SCORES[n],
                        asked_at=start,
                    )
                )


async def test_small_counts_are_left_empty(stats_db: Database) -> None:
    await load(stats_db)
    where = StatsFilter(
        datetime(2026, 11, 2, tzinfo=timezone.utc), datetime(2026, 11, 9, tzinfo=timezone.utc)
    )
    rows = await opendata_rows(stats_db, where)
    by_key = {(r["canal"], r["situation"]): r for r in rows}
    assert set(by_key) == {("web", "F14128"), ("sms", "aucune")}
    web = by_key[("web", "F14128")]
    assert web == {
        "semaine": "2026-11-02",
        "canal": "web",
        "situation": "F14128",
        "conversations": 12,
        "conversations_autonomes": 12,
        "taux_autonomie": 1.0,
        "transferts_conseiller": 0,
        "avis_satisfaction": 6,
        "note_moyenne": 3.5,
        "taux_satisfaits": None,  # 4 satisfied of 6: the 2 others would show
        "messages": 24,
        "taux_incompris": round(5 / 24, 3),
    }
    sms = by_key[("sms", "aucune")]
    assert sms["conversations"] is None and sms["messages"] is None and sms["taux_autonomie"] is None
    assert sms["avis_satisfaction"] is None and sms["transferts_conseiller"] is None
    table = list(csv.reader(io.StringIO(to_csv(rows))))
    assert table[0] == list(COLUMNS)
    assert ["2026-11-02", "sms", "aucune", "", "", "", "", "", "", "", "", ""] in table
