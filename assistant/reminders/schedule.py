"""When reminders go out: a few days before each deadline, the day after it, at decent hours.

Pure: no clock, no database. Sending is allowed from `start_hour` to `end_hour` (local time,
Europe/Paris by default), never on a Sunday or a French public holiday (the `holidays` library,
which knows Easter Monday, Ascension and Whit Monday for every year). A reminder's day that is not
allowed moves *earlier* (a reminder must come before the deadline); a follow-up's moves *later*.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Optional
from zoneinfo import ZoneInfo

import holidays

SUNDAY = 6


@dataclass(frozen=True)
class Demarche:
    """One dated démarche of a plan, as reminders need it."""

    fiche_id: str
    title: str
    url: Optional[str]
    due: date

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Optional[Demarche]:
        """From a plan payload's item (actions/plan_view.py); None when it has no date."""
        try:
            due = date.fromisoformat(str(item["due_date"]))
            return cls(str(item["fiche_id"]), str(item["title"]), item.get("url"), due)
        except (KeyError, TypeError, ValueError):
            return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "fiche_id": self.fiche_id,
            "title": self.title,
            "url": self.url,
            "due_date": self.due.isoformat(),
        }


@dataclass(frozen=True)
class Planned:
    kind: str  # "before" or "followup"
    demarche: Demarche
    send_at: datetime  # aware, UTC


@dataclass(frozen=True)
class Policy:
    offsets: tuple[int, ...] = (7, 1)  # days before the deadline
    timezone: str = "Europe/Paris"
    start_hour: int = 9
    end_hour: int = 19
    send_hour: int = 10  # the time of day of a planned reminder
    followup_after: int = 1  # days after the deadline
    # France's public holidays; the calendar fills in each year as it is asked about.
    calendar: Any = field(default_factory=lambda: holidays.country_holidays("FR"), compare=False, repr=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open_day(self, day: date) -> bool:
        return day.weekday() != SUNDAY and day not in self.calendar

    def allowed(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return self.is_open_day(local.date()) and self.start_hour <= local.hour < self.end_hour

    def next_allowed(self, moment: datetime) -> datetime:
        """`moment` if sending is allowed then, else the next opening (start_hour of an open day)."""
        if self.allowed(moment):
            return moment
        local = moment.astimezone(self.zone)
        day = local.date() if local.hour < self.start_hour else local.date() + timedelta(days=1)
        while not self.is_open_day(day):
            day += timedelta(days=1)
        return self._at(day, self.start_hour)

    def _at(self, day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=self.zone).astimezone(ZoneInfo("UTC"))

    def _open_day_before(self, day: date) -> date:
        while not self.is_open_day(day):
            day -= timedelta(days=1)
        return day

    def _open_day_after(self, day: date) -> date:
        while not self.is_open_day(day):
            day += timedelta(days=1)
        return day

    def reminders_for(self, demarche: Demarche, now: datetime) -> list[Planned]:
        """The reminders before one deadline still to come, and the follow-up after it."""
        today = now.astimezone(self.zone).date()
        planned: list[Planned] = []
        days: set[date] = set()
        for offset in sorted(set(self.offsets), reverse=True):
            day = self._open_day_before(demarche.due - timedelta(days=offset))
            if day >= demarche.due or day in days:
                continue  # moved onto the deadline, or onto another reminder's day
            send_at = self._at(day, self.send_hour)
            if day == today and send_at <= now:  # consented to today, after the planned hour
                send_at = self.next_allowed(now)
                if send_at.astimezone(self.zone).date() != today:
                    continue  # too late today; tomorrow would be another reminder's day
            elif send_at <= now:
                continue
            days.add(day)
            planned.append(Planned("before", demarche, send_at))
        follow_day = self._open_day_after(demarche.due + timedelta(days=self.followup_after))
        follow_at = self._at(follow_day, self.send_hour)
        if follow_at > now:
            planned.append(Planned("followup", demarche, follow_at))
        return planned

    def schedule(self, demarches: Iterable[Demarche], now: datetime) -> list[Planned]:
        """Every reminder and follow-up of a plan, in sending order."""
        planned = [p for d in demarches for p in self.reminders_for(d, now)]
        return sorted(planned, key=lambda p: (p.send_at, p.kind, p.demarche.fiche_id))


def dated(items: Sequence[Any], today: date) -> list[Demarche]:
    """The démarches of a plan with a deadline from today on (one per fiche, the earliest)."""
    found: dict[str, Demarche] = {}
    for item in items:
        demarche = Demarche.from_item(item) if isinstance(item, dict) else None
        if demarche is None or demarche.due < today:
            continue
        if demarche.fiche_id not in found or demarche.due < found[demarche.fiche_id].due:
            found[demarche.fiche_id] = demarche
    return sorted(found.values(), key=lambda d: (d.due, d.fiche_id))


def parse_offsets(raw: str) -> tuple[int, ...]:
    """ "7,1" → (7, 1); each between 0 and 60 days."""
    values = tuple(int(part) for part in raw.replace(" ", "").split(",") if part)
    if not values or any(v < 0 or v > 60 for v in values):
        raise ValueError("reminder offsets are days between 0 and 60, e.g. 7,1")
    return values
