"""Counting legal days: "jours ouvrables" and "jours ouvrés", with French public holidays.

* *jours ouvrables*: every day but Sundays and public holidays (the inhumation, "6 jours ouvrables
  au plus après le décès");
* *jours ouvrés*: Monday to Friday but public holidays ("hors week-ends et jours fériés").

Public holidays come from the `holidays` library (metropolitan France: Easter Monday, Ascension and
Whit Monday are computed for every year). Pure and cached per year.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

SATURDAY, SUNDAY = 5, 6


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def is_public_holiday(day: date) -> bool:
    return day in _holidays(day.year)


def is_working_day(day: date) -> bool:
    """A *jour ouvrable*: not a Sunday, not a public holiday."""
    return day.weekday() != SUNDAY and not is_public_holiday(day)


def is_business_day(day: date) -> bool:
    """A *jour ouvré*: Monday to Friday, not a public holiday."""
    return day.weekday() < SATURDAY and not is_public_holiday(day)


def add_days(start: date, count: int, unit: str) -> date:
    """``count`` days of ``unit`` ("day", "working_day", "business_day") after ``start``, or before it
    when ``count`` is negative. The event's own day is never counted."""
    if unit == "day":
        return start + timedelta(days=count)
    counts = is_working_day if unit == "working_day" else is_business_day
    step = timedelta(days=1 if count >= 0 else -1)
    day, left = start, abs(count)
    while left:
        day += step
        if counts(day):
            left -= 1
    return day
