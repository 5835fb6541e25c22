"""`GET /api/stats`: the indicators of a period, and the same over time (by day or week)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Optional, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from assistant.feedback import CATEGORIES
from assistant.stats.cohort import StatsFilter, figures, in_cohort, split
from assistant.stats.dialect import median, seconds_between
from assistant.stats.reminders import reminder_figures
from assistant.storage import Database
from assistant.storage.tables import (
    answer_ratings,
    conversation_situations,
    feedback,
    handoffs,
    messages,
)

T = TypeVar("T")
GROUPINGS: list[tuple[str, ...]] = [(), ("situation",)]


def rate(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def csat(counts: dict[str, Any]) -> dict[str, Any]:
    responses = counts["csat_responses"]
    return {
        "responses": responses,
        "mean": round(counts["csat_total"] / responses, 2) if responses else None,
        "satisfied_rate": rate(counts["csat_satisfied"], responses),
    }


def headline(counts: dict[str, Any]) -> dict[str, Any]:
    """The figures every view shares, from one row of `figures`."""
    return {
        "conversations": counts["conversations"],
        "contained": counts["contained"],
        "containment_rate": rate(counts["contained"], counts["conversations"]),
        "handoff_rate": rate(counts["handed_off"], counts["conversations"]),
        "user_messages": counts["user_messages"],
        "misunderstood_messages": counts["misunderstood"],
        "misunderstood_rate": rate(counts["misunderstood"], counts["user_messages"]),
        "csat": csat(counts),
    }


class StatsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _on_connection(self, work: Callable[[AsyncConnection, str], Awaitable[T]]) -> T:
        async with self.db.connect() as conn:
            return await work(conn, conn.dialect.name)

    async def _figures(self, conn: AsyncConnection, dialect: str, where: StatsFilter) -> list[Any]:
        return list((await conn.execute(figures(dialect, where, GROUPINGS))).all())

    async def summary(self, where: StatsFilter) -> dict[str, Any]:
        """The cohort's figures and the small queries run at once, each on its own connection
        (SQLite and PostgreSQL both work on another core meanwhile)."""
        rows, reasons, (pickup, wait), helpful, complaints, reminders = await asyncio.gather(
            self._on_connection(lambda conn, dialect: self._figures(conn, dialect, where)),
            self._on_connection(lambda conn, dialect: self._handoffs_by_reason(conn, dialect, where)),
            self._on_connection(lambda conn, dialect: self._medians(conn, dialect, where)),
            self._on_connection(lambda conn, dialect: self._helpful(conn, dialect, where)),
            self._on_connection(lambda conn, _: self._complaints(conn, where)),
            self._on_connection(lambda conn, dialect: reminder_figures(conn, dialect, where)),
        )
        (total,), per_situation = split(rows, GROUPINGS)
        by_situation = []
        for counts in per_situation:
            if counts["situation"] is not None:
                by_situation.append(
                    {
                        "situation": counts["situation"],
                        "conversations": counts["conversations"],
                        "handoff_rate": rate(counts["handed_off"], counts["conversations"]),
                        "containment_rate": rate(counts["contained"], counts["conversations"]),
                        "csat": csat(counts),
                    }
                )
        by_situation.sort(key=lambda s: (-s["conversations"], s["situation"]))
        return {
            **headline(total),
            "handoffs": {"total": sum(reasons.values()), "by_reason": reasons},
            "median_pickup_s": pickup,
            "median_wait_s": wait,
            "answers_helpful": helpful,
            "by_situation": by_situation,
            "complaints": complaints,
            "reminders": reminders,
        }

    async def series(self, where: StatsFilter, interval: str) -> list[dict[str, Any]]:
        """The headline figures per day or ISO week (periods without any conversation left out)."""
        async with self.db.connect() as conn:
            rows = (await conn.execute(figures(conn.dialect.name, where, [(interval,)]))).all()
        (periods,) = split(rows, [(interval,)])
        return [{"period": c[interval], **headline(c)} for c in periods]

    async def _handoffs_by_reason(
        self, conn: AsyncConnection, dialect: str, where: StatsFilter
    ) -> dict[str, int]:
        query = (
            sa.select(handoffs.c.reason, sa.func.count())
            .select_from(in_cohort(handoffs, dialect, where))
            .group_by(handoffs.c.reason)
            .order_by(handoffs.c.reason)
        )
        return {str(reason): int(count) for reason, count in (await conn.execute(query)).all()}

    async def _medians(
        self, conn: AsyncConnection, dialect: str, where: StatsFilter
    ) -> tuple[Optional[float], Optional[float]]:
        """Pickup: handoff opened → claimed by an agent; wait: opened → the first agent message."""
        scope = in_cohort(handoffs, dialect, where)
        pickup = sa.select(
            seconds_between(dialect, handoffs.c.created_at, handoffs.c.claimed_at)
        ).select_from(scope)
        first_reply = (
            sa.select(sa.func.min(messages.c.created_at))
            .where(
                messages.c.conversation_id == handoffs.c.conversation_id,
                messages.c.role == "agent",
                messages.c.created_at >= handoffs.c.created_at,
            )
            .scalar_subquery()
        )
        wait = sa.select(seconds_between(dialect, handoffs.c.created_at, first_reply)).select_from(scope)
        values = [(await conn.execute(median(q))).scalar() for q in (pickup, wait)]
        return tuple(round(float(v), 1) if v is not None else None for v in values)  # type: ignore[return-value]

    async def _helpful(self, conn: AsyncConnection, dialect: str, where: StatsFilter) -> dict[str, Any]:
        query = sa.select(
            sa.func.count(), sa.func.sum(sa.case((answer_ratings.c.helpful, 1), else_=0))
        ).select_from(in_cohort(answer_ratings, dialect, where))
        responses, helpful = (await conn.execute(query)).one()
        return {
            "responses": int(responses or 0),
            "helpful_rate": rate(int(helpful or 0), int(responses or 0)),
        }

    async def _complaints(self, conn: AsyncConnection, where: StatsFilter) -> dict[str, Any]:
        """Reports on complicated documents made in the period (on the channel, in the situation)."""
        clauses: list[Any] = [feedback.c.created_at >= where.date_from, feedback.c.created_at < where.date_to]
        if where.channel:
            clauses.append(feedback.c.channel == where.channel)
        if where.situation:
            clauses.append(
                feedback.c.conversation_id.in_(
                    sa.select(conversation_situations.c.conversation_id).where(
                        conversation_situations.c.situation == where.situation
                    )
                )
            )
        counts = [
            sa.func.sum(sa.case((feedback.c.categories.like(f"%,{key},%"), 1), else_=0)) for key in CATEGORIES
        ]
        row = (await conn.execute(sa.select(sa.func.count(), *counts).where(*clauses))).one()
        return {
            "total": int(row[0] or 0),
            "by_category": {key: int(value or 0) for key, value in zip(CATEGORIES, row[1:], strict=True)},
        }
