"""The few SQL expressions that differ between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

SECONDS_PER_DAY = 86_400


def seconds_between(dialect: str, start: Any, end: Any) -> Any:
    """`end - start` in seconds (a float)."""
    if dialect == "sqlite":
        return (sa.func.julianday(end) - sa.func.julianday(start)) * float(SECONDS_PER_DAY)
    return sa.func.extract("epoch", end - start)


def bucket(dialect: str, column: Any, interval: str) -> Any:
    """The first day (YYYY-MM-DD) of the day or ISO week (Monday) a timestamp falls in."""
    if dialect == "sqlite":
        if interval == "week":  # the Sunday on or after the day, then back to its Monday
            return sa.func.date(column, "weekday 0", "-6 days")
        return sa.func.date(column)
    utc = sa.func.timezone("UTC", column)  # whatever the session's time zone
    if interval == "week":
        return sa.func.to_char(sa.func.date_trunc("week", utc), "YYYY-MM-DD")
    return sa.func.to_char(utc, "YYYY-MM-DD")


def median(values: sa.sql.Select) -> sa.sql.Select:
    """The median of the one-column select `values` (NULLs left out), with window functions only."""
    inner = values.subquery()
    value = next(iter(inner.c))
    ranked = (
        sa.select(
            value.label("v"),
            sa.func.row_number().over(order_by=value).label("rn"),
            sa.func.count().over().label("n"),
        )
        .where(value.isnot(None))
        .subquery()
    )
    middle = sa.or_(ranked.c.rn == (ranked.c.n + 1) / 2, ranked.c.rn == (ranked.c.n + 2) / 2)
    return sa.select(sa.func.avg(ranked.c.v)).where(middle)
