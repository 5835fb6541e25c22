"""The conversations a question is about, one row each, and their figures grouped as asked.

One query serves the summary, the figures per situation, the series over time and the open data,
so that they always agree: a CTE of one row per conversation of the cohort (materialised once
when several groupings read it), then one aggregate per grouping, joined by UNION ALL. Set-based
on purpose: counting each conversation's messages with correlated subqueries took 5 s on a year
(1 million messages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional

import sqlalchemy as sa

from assistant.stats import CONTAINMENT_DAYS, MISUNDERSTOOD_SOURCES, SATISFIED_FROM
from assistant.stats.dialect import SECONDS_PER_DAY, bucket, seconds_between
from assistant.storage.tables import (
    conversation_situations,
    conversations,
    csat_responses,
    handoffs,
    messages,
    review_items,
)

KEYS = ("day", "week", "channel", "situation")
FIGURES = (
    "conversations", "contained", "handed_off", "user_messages", "misunderstood",
    "csat_responses", "csat_total", "csat_satisfied",
)  # fmt: skip


@dataclass(frozen=True)
class StatsFilter:
    """Conversations started in [date_from, date_to), on one channel, about one situation."""

    date_from: datetime
    date_to: datetime
    channel: Optional[str] = None
    situation: Optional[str] = None

    def clauses(self, dialect: str, conversation: Any = conversations) -> list[Any]:
        created = conversation.c.created_at
        if dialect == "sqlite":  # a full scan of conversations beats the index on any long period
            created = sa.func.coalesce(created, created, type_=created.type)
        clauses: list[Any] = [created >= self.date_from, created < self.date_to]
        if self.channel:
            clauses.append(conversation.c.channel == self.channel)
        return clauses

    def situation_clause(self, conversation: Any = conversations) -> list[Any]:
        if not self.situation:
            return []
        about = conversation_situations.alias("about")  # the grouping may join the table itself
        return [
            sa.exists().where(
                about.c.conversation_id == conversation.c.id, about.c.situation == self.situation
            )
        ]


def _flag(condition: Any) -> Any:
    return sa.case((condition, 1), else_=0)


def returned(dialect: str) -> Any:
    """1 when the same sender (same channel) opened another conversation within 7 days, else 0.

    SQLite: probed per conversation by the sender index (twice as fast as the window below)."""
    c = conversations
    later = conversations.alias("later")
    week = CONTAINMENT_DAYS * SECONDS_PER_DAY
    return _flag(
        sa.exists().where(
            c.c.sender_ref.isnot(None),
            later.c.sender_ref == c.c.sender_ref,
            later.c.channel == c.c.channel,
            later.c.created_at > c.c.created_at,
            seconds_between(dialect, c.c.created_at, later.c.created_at) <= week,
        )
    )


def returned_ids(dialect: str, where: StatsFilter) -> sa.sql.Select:
    """The same as `returned`, as a set (PostgreSQL: one window pass beats 100,000 probes)."""
    c = conversations
    following = sa.func.lead(c.c.created_at).over(
        partition_by=(c.c.channel, c.c.sender_ref), order_by=c.c.created_at
    )
    windowed = (
        sa.select(c.c.id, c.c.created_at, following.label("following"))
        .where(
            c.c.sender_ref.isnot(None),
            c.c.created_at >= where.date_from,
            c.c.created_at < where.date_to + timedelta(days=CONTAINMENT_DAYS),
            *([c.c.channel == where.channel] if where.channel else []),
        )
        .subquery("windowed")
    )
    week = CONTAINMENT_DAYS * SECONDS_PER_DAY
    return sa.select(windowed.c.id).where(
        windowed.c.following.isnot(None),
        windowed.c.created_at < where.date_to,
        seconds_between(dialect, windowed.c.created_at, windowed.c.following) <= week,
    )


def cohort(dialect: str, where: StatsFilter, keys: set[str]) -> sa.sql.CTE:
    """One row per conversation in which the person wrote; the day and week columns if in `keys`."""
    c = conversations
    # Every conversation's count, read in order from the (role, conversation_id, created_at) index
    # alone: cheaper than restricting it to the cohort first, even for a month.
    typed_sq = (
        sa.select(messages.c.conversation_id, sa.func.count().label("n"))
        .where(messages.c.role == "user")
        .group_by(messages.c.conversation_id)
        .subquery("typed")
    )
    missed = (
        sa.select(
            review_items.c.conversation_id, sa.func.count(sa.distinct(review_items.c.message_id)).label("n")
        )
        .where(review_items.c.source.in_(MISUNDERSTOOD_SOURCES))
        .group_by(review_items.c.conversation_id)
        .subquery("missed")
    )
    handed = sa.select(handoffs.c.conversation_id).distinct().subquery("handed")
    sets = returned_ids(dialect, where).subquery("returned") if dialect != "sqlite" else None
    columns: list[Any] = [
        c.c.id,
        c.c.channel,
        typed_sq.c.n.label("user_messages"),
        sa.func.coalesce(missed.c.n, 0).label("misunderstood"),
        _flag(handed.c.conversation_id.isnot(None)).label("handed_off"),
        (returned(dialect) if sets is None else _flag(sets.c.id.isnot(None))).label("returned"),
        csat_responses.c.score,
    ]
    columns += [bucket(dialect, c.c.created_at, k).label(k) for k in ("day", "week") if k in keys]
    source = (
        c.join(typed_sq, typed_sq.c.conversation_id == c.c.id)
        .outerjoin(missed, missed.c.conversation_id == c.c.id)
        .outerjoin(handed, handed.c.conversation_id == c.c.id)
        .outerjoin(csat_responses, csat_responses.c.conversation_id == c.c.id)
    )
    if sets is not None:
        source = source.outerjoin(sets, sets.c.id == c.c.id)
    query = sa.select(*columns).select_from(source).where(*where.clauses(dialect), *where.situation_clause())
    return query.cte("cohort")


def figures(dialect: str, where: StatsFilter, groupings: list[tuple[str, ...]]) -> sa.sql.CompoundSelect:
    """The cohort's counts once per grouping (each a tuple of KEYS; () for the whole cohort).

    Rows carry `grouping` (the index in `groupings`) and every key (NULL where not grouped)."""
    used = {k for g in groupings for k in g}
    rows = cohort(dialect, where, used)
    selects = []
    for index, groups in enumerate(groupings):
        source: Any = rows
        keys: dict[str, Any] = {}
        for key in KEYS:
            if key not in groups:
                keys[key] = sa.null()
            elif key == "situation":
                source = source.outerjoin(
                    conversation_situations, conversation_situations.c.conversation_id == rows.c.id
                )
                keys[key] = conversation_situations.c.situation
            else:
                keys[key] = rows.c[key]
        query = sa.select(
            sa.literal(index).label("grouping"),
            *[sa.cast(v, sa.String).label(k) for k, v in keys.items()],
            sa.func.count().label("conversations"),
            sa.func.sum(_flag(sa.and_(rows.c.handed_off == 0, rows.c.returned == 0))).label("contained"),
            sa.func.sum(rows.c.handed_off).label("handed_off"),
            sa.func.sum(rows.c.user_messages).label("user_messages"),
            sa.func.sum(rows.c.misunderstood).label("misunderstood"),
            sa.func.count(rows.c.score).label("csat_responses"),
            sa.func.coalesce(sa.func.sum(rows.c.score), 0).label("csat_total"),
            sa.func.sum(_flag(rows.c.score >= SATISFIED_FROM)).label("csat_satisfied"),
        ).select_from(source)
        group_columns = [keys[k] for k in KEYS if k in groups]
        selects.append(query.group_by(*group_columns) if group_columns else query)
    return sa.union_all(*selects)


def split(rows: list[Any], groupings: list[tuple[str, ...]]) -> list[list[dict[str, Any]]]:
    """The rows of `figures` as plain values, one list per grouping, sorted by their keys."""
    out: list[list[dict[str, Any]]] = [[] for _ in groupings]
    for row in rows:
        data = dict(row._mapping)
        groups = groupings[int(data["grouping"])]
        counts: dict[str, Any] = {k: data[k] for k in groups}
        counts.update({name: int(data[name] or 0) for name in FIGURES})
        out[int(data["grouping"])].append(counts)
    for index, groups in enumerate(groupings):
        out[index].sort(key=lambda r: tuple(str(r[k] or "") for k in groups))
    return out


def in_cohort(table: sa.Table, dialect: str, where: StatsFilter) -> Any:
    """`table` joined to the filtered conversations (by primary key: cheaper than IN on SQLite)."""
    on = [conversations.c.id == table.c.conversation_id, *where.clauses(dialect), *where.situation_clause()]
    return table.join(conversations, sa.and_(*on))
