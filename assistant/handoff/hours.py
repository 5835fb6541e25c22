"""Opening hours of the agents, e.g. `1-5 09:00-17:00` (ISO weekdays, local time)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

_SPEC = re.compile(r"^\s*([1-7])(?:-([1-7]))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class OpeningHours:
    days: frozenset[int]
    start: time
    end: time
    zone: ZoneInfo

    @classmethod
    def parse(cls, spec: str, timezone: str) -> OpeningHours:
        """`1-5 09:00-17:00`: Monday to Friday, 9 am to 5 pm; `always` for round the clock."""
        zone = ZoneInfo(timezone)
        if spec.strip().lower() in ("", "always", "24/7"):
            return cls(frozenset(range(1, 8)), time(0, 0), time(23, 59, 59), zone)
        match = _SPEC.match(spec)
        if not match:
            raise ValueError(f"horaires illisibles : « {spec} » (exemple : 1-5 09:00-17:00)")
        first, last = int(match[1]), int(match[2] or match[1])
        start, end = time(int(match[3]), int(match[4])), time(int(match[5]), int(match[6]))
        if first > last or start >= end:
            raise ValueError(f"horaires incohérents : « {spec} »")
        return cls(frozenset(range(first, last + 1)), start, end, zone)

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(self.zone)
        return local.isoweekday() in self.days and self.start <= local.time() < self.end

    def next_opening(self, now: datetime) -> datetime:
        local = now.astimezone(self.zone)
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            opening = datetime.combine(day, self.start, tzinfo=self.zone)
            if day.isoweekday() in self.days and opening > local:
                return opening
        return local
