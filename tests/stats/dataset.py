"""A small week of records whose indicators were counted by hand (see test_indicators.py).

Week of Monday 2 November 2026. Conversations (channel, sender, start, typed messages):
  A web   -      Mon 10:00  4 messages, F14128, CSAT 5, 1 misunderstood            contained
  B sms   s1     Tue 09:00  2 messages, F14128, CSAT 2, handoff explicit_request   not contained
              (opened 09:05, claimed 09:07 = 120 s, first agent message 09:10 = 300 s)
  C sms   s1     Thu 09:00  2 messages; D from s1 comes 8 days later               contained
  D sms   s1     Fri 13th   1 message, after the period
  E tg    t1     Wed 12:00  3 messages, F16507, CSAT skipped, 2 misunderstood,
              handoff misunderstood (opened 12:10, claimed 12:20 = 600 s, agent 12:30 = 1200 s)
  F tg    t2     Fri 08:00  1 message, F14128; G from t2 comes 2.5 days later     not contained
  G tg    t2     Sun 20:00  1 message, CSAT 4                                     contained
  H web   -      Sat        no message from the person (opened, never used)      left out
  I web   -      Sun 1st    before the period, with a handoff                     left out
Reports on documents: A (jargon, too_long), B (jargon), I (other, before the period).
Search answers rated: A helpful, E not helpful.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from assistant.storage import Database
from assistant.storage.tables import (
    agents,
    answer_ratings,
    conversation_situations,
    conversations,
    csat_responses,
    feedback,
    handoffs,
    messages,
    review_items,
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)


CONVERSATIONS: dict[str, tuple[str, Any, datetime, int]] = {
    "conv-a": ("web", None, at(2, 10), 4),
    "conv-b": ("sms", "+33611111111", at(3, 9), 2),
    "conv-c": ("sms", "+33611111111", at(5, 9), 2),
    "conv-d": ("sms", "+33611111111", at(13, 9, 30), 1),
    "conv-e": ("telegram", "t1", at(4, 12), 3),
    "conv-f": ("telegram", "t2", at(6, 8), 1),
    "conv-g": ("telegram", "t2", at(8, 20), 1),
    "conv-h": ("web", None, at(7, 15), 0),
    "conv-i": ("web", None, at(1, 23, 59), 2),
}
SITUATIONS = [("conv-a", "F14128"), ("conv-b", "F14128"), ("conv-e", "F16507"), ("conv-f", "F14128")]
CSAT = [
    ("conv-a", 5, "answered"),
    ("conv-b", 2, "answered"),
    ("conv-e", None, "skipped"),
    ("conv-g", 4, "answered"),
]
HANDOFFS = [  # id, conversation, reason, opened, claimed
    ("h-b", "conv-b", "explicit_request", at(3, 9, 5), at(3, 9, 7)),
    ("h-e", "conv-e", "misunderstood", at(4, 12, 10), at(4, 12, 20)),
    ("h-i", "conv-i", "explicit_request", at(2, 0, 0), at(2, 0, 1)),
]
AGENT_MESSAGES = [("conv-b", at(3, 9, 10)), ("conv-e", at(4, 12, 30)), ("conv-i", at(2, 0, 2))]
MISUNDERSTOOD = [
    ("conv-a", 1, "misunderstood"),
    ("conv-e", 0, "low_confidence"),
    ("conv-e", 1, "misunderstood"),
]
REPORTS = [("conv-a", "web", ",jargon,too_long,", at(2, 11)), ("conv-b", "sms", ",jargon,", at(3, 9, 3)),
           ("conv-i", "web", ",other,", at(1, 23, 59))]  # fmt: skip


async def load(db: Database) -> dict[str, list[int]]:
    """Store the week; returns the ids of each conversation's messages from the person."""
    user_ids: dict[str, list[int]] = {}
    async with db.connect() as conn:
        await conn.execute(
            agents.insert().values(
                id=900, username="dataset-agent", display_name="Agent", password_hash="x", role="agent",
                created_at=at(1, 0),
            )
        )  # fmt: skip
        for cid, (channel, sender, start, count) in CONVERSATIONS.items():
            await conn.execute(
                conversations.insert().values(
                    id=cid, channel=channel, sender_ref=sender, created_at=start, updated_at=start
                )
            )
            await conn.execute(
                messages.insert().values(conversation_id=cid, role="bot", text="Bonjour", created_at=start)
            )
            user_ids[cid] = []
            for n in range(count):
                when = start + timedelta(seconds=10 * (n + 1))
                result = await conn.execute(
                    messages.insert().values(
                        conversation_id=cid, role="user", text=f"message {n} de {cid}", created_at=when
                    )
                )
                user_ids[cid].append(int(result.inserted_primary_key[0]))
                await conn.execute(
                    messages.insert().values(conversation_id=cid, role="bot", text="Réponse", created_at=when)
                )
        for cid, situation in SITUATIONS:
            await conn.execute(
                conversation_situations.insert().values(
                    conversation_id=cid, situation=situation, created_at=CONVERSATIONS[cid][2]
                )
            )
        for cid, score, status in CSAT:
            await conn.execute(
                csat_responses.insert().values(
                    conversation_id=cid, channel=CONVERSATIONS[cid][0], trigger="end", status=status,
                    score=score, asked_at=CONVERSATIONS[cid][2],
                )
            )  # fmt: skip
        for hid, cid, reason, opened, claimed in HANDOFFS:
            await conn.execute(
                handoffs.insert().values(
                    id=hid, conversation_id=cid, status="closed", reason=reason, priority=1, packet={},
                    agent_id=900, created_at=opened, claimed_at=claimed,
                )
            )  # fmt: skip
        for cid, when in AGENT_MESSAGES:
            await conn.execute(
                messages.insert().values(conversation_id=cid, role="agent", text="Bonjour", created_at=when)
            )
        for cid, index, source in MISUNDERSTOOD:
            await conn.execute(
                review_items.insert().values(
                    conversation_id=cid, message_id=user_ids[cid][index], source=source,
                    channel=CONVERSATIONS[cid][0], text="x", masked=[], created_at=CONVERSATIONS[cid][2],
                )
            )  # fmt: skip
        await conn.execute(  # not an understanding miss: left out of the rate
            review_items.insert().values(
                conversation_id="conv-e", message_id=user_ids["conv-e"][2], source="handoff_misunderstood",
                channel="telegram", text="x", masked=[], created_at=at(4, 12, 10),
            )
        )  # fmt: skip
        for cid, channel, categories, when in REPORTS:
            await conn.execute(
                feedback.insert().values(
                    created_at=when, channel=channel, conversation_id=cid, document_label="Formulaire",
                    document_kind="form", categories=categories, description="trop compliqué",
                    situations=[], masked=[],
                )
            )  # fmt: skip
        for cid, helpful in (("conv-a", True), ("conv-e", False)):
            await conn.execute(
                answer_ratings.insert().values(
                    message_id=user_ids[cid][0], conversation_id=cid, helpful=helpful, created_at=at(2, 12)
                )
            )
    return user_ids
