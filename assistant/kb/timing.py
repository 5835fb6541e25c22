"""Timing phrases of the situation chapters ("Dans les 24 heures", "Avant l'achat"...).

A chapter, sub-chapter or situation tab whose title starts with a time marker gets a
normalised :class:`Deadline`, relative to the situation's event (the death, the birth,
the move, the purchase...). :func:`due_date` turns it into a date once the event date
is known, :func:`describe` into French ("avant le 24 mars 2025"), :func:`urgency_key`
into a sort key. A title that looks like a timing phrase but matches no rule is
reported by the build (never silently dropped).

Kinds: ``before`` (by ``amount`` ``unit`` before the event; 0 = by the event),
``on`` (the day of the event), ``after`` (within ``amount`` ``unit`` after the event;
no amount = some time after it), ``anytime`` (no deadline), ``period`` (applies from
``start_amount`` to ``amount`` ``unit`` after the event, e.g. the child's age).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from assistant.french.folding import fold
from assistant.french.numbers import NUMBER_PATTERN, parse_number
from assistant.kb.text import clean_spaces
from assistant.kb.workdays import add_days, is_business_day

UNIT_DAYS = {"hour": 1, "day": 1, "working_day": 1, "business_day": 1, "week": 7, "month": 30, "year": 365}
WORKING_UNITS = frozenset({"working_day", "business_day"})  # counted by assistant.kb.workdays
_UNITS = {
    "h": "hour", "heure": "hour", "heures": "hour", "jour": "day", "jours": "day", "semaine": "week",
    "semaines": "week", "mois": "month", "an": "year", "ans": "year", "annee": "year", "annees": "year",
}  # fmt: skip
_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre",
)  # fmt: skip
_NUM = rf"(\d+|{NUMBER_PATTERN})"  # "6", "six", "vingt-et-un", "1re", "premiere"
_UNIT = r"(heures?|h|jours?|semaines?|mois|ans?|annees?)"
_TRIGGER = re.compile(
    r"^(dans (les?|la|l') ?(\d|1re|premier|mois|semaine|annee|jour|heure)|avant |apres |pendant |lors |"
    r"au plus tot|au plus tard|a tout moment|entre \d|a partir d|jusqu|au moment|le jour |sous \d|d'ici )"
    rf"|\b\d+ ?{_UNIT}\b"
)


@dataclass(frozen=True)
class Deadline:
    """A normalised timing phrase, relative to the situation's event."""

    phrase: str
    kind: str
    amount: int | None = None
    unit: str | None = None
    days: int | None = None
    start_amount: int | None = None
    asap: bool = False
    event: str | None = None
    extended: bool = False  # a last day on a Saturday, Sunday or holiday moves to the next working day
    least: int | None = None  # the shortest delay of a range ("pouvant aller de 1 à 3 mois avant": 1)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "phrase": self.phrase, "kind": self.kind, "amount": self.amount, "unit": self.unit,
            "days": self.days, "start_amount": self.start_amount, "asap": self.asap, "event": self.event,
        }  # fmt: skip
        if self.extended:
            data["extended"] = True
        if self.least is not None:
            data["least"] = self.least
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Deadline:
        return cls(
            phrase=str(data["phrase"]), kind=str(data["kind"]), amount=data.get("amount"),
            unit=data.get("unit"), days=data.get("days"), start_amount=data.get("start_amount"),
            asap=bool(data.get("asap")), event=data.get("event"), extended=bool(data.get("extended")),
            least=data.get("least"),
        )  # fmt: skip


def timing_phrase(title: str) -> str | None:
    """The part of a title that looks like a timing phrase, or ``None``."""
    phrase = clean_spaces(title.split(" : ", 1)[0])
    folded = fold(phrase)
    if _TRIGGER.search(folded) or phrase.lower().startswith("dès "):
        return phrase
    return None


class _NotANumber(ValueError):
    """A run of number words that is no number ("deux trois"): the phrase matches no rule."""


def _number(token: str) -> int:
    value = parse_number(token, ordinals=True)
    if value is None:
        raise _NotANumber(token)
    return value


def _make(
    phrase: str, kind: str, amount: int | None = None, unit_word: str | None = None, **extra: Any
) -> Deadline:
    unit = _UNITS[unit_word] if unit_word else None
    days = None
    if amount is not None and unit is not None:
        days = max(1, -(-amount // 24)) if unit == "hour" else amount * UNIT_DAYS[unit]
    elif kind in ("before", "on"):
        days = 0
    return Deadline(phrase=phrase, kind=kind, amount=amount, unit=unit, days=days, **extra)


def make_deadline(
    phrase: str,
    kind: str,
    amount: int | None,
    unit_word: str | None,
    day_kind: str | None = None,
    event: str | None = None,
) -> Deadline:
    """A deadline from its parts; ``day_kind`` (``working_day``, ``business_day``) makes days, and
    hours by whole days ("24 heures, hors week-ends"), count working days only."""
    deadline = _make(phrase, kind, amount, unit_word, event=event)
    if day_kind in WORKING_UNITS and deadline.unit in ("day", "hour") and amount is not None:
        days = max(1, -(-amount // 24)) if deadline.unit == "hour" else amount
        return Deadline(phrase=phrase, kind=kind, amount=days, unit=day_kind, days=days, event=event)
    return deadline


def _span(text: str) -> tuple[int, str] | None:
    """A duration such as "les 6 mois", "le mois", "l'annee", "la 1re annee de l'enfant"."""
    match = re.match(rf"^(?:les?|la|l') ?(?:{_NUM} )?(?:premiers? |premieres? )?{_UNIT}\b", text)
    if not match:
        return None
    return (_number(match.group(1)) if match.group(1) else 1), match.group(2)


def _event(rest: str | None) -> str | None:
    rest = (rest or "").strip(" ,.")
    return rest or None


def normalise(phrase: str) -> Deadline | None:
    """Normalise one timing phrase; ``None`` when no rule applies."""
    try:
        return _normalise(phrase)
    except _NotANumber:
        return None


def _normalise(phrase: str) -> Deadline | None:
    text = fold(clean_spaces(phrase)).rstrip(" :.")
    original = clean_spaces(phrase)
    if text.startswith("a tout moment"):
        return _make(original, "anytime", event=_event(re.sub(r"^a tout moment ?(apres )?", "", text)))
    match = re.match(r"^au plus tot et dans (.+)$", text)
    if match and (span := _span(match.group(1))):
        return _make(original, "after", span[0], span[1], asap=True)
    match = re.match(r"^(?:au plus tot|des)(?: apres| que| la| le| l')? ?(.*)$", text)
    if match and (text.startswith("au plus tot") or original.lower().startswith("dès")):
        return _make(original, "after", asap=True, event=_event(match.group(1)))
    match = re.match(r"^(?:dans|sous|d'ici) (.+?)(?: qui su(?:it|ivent) (.+)| maximum| au plus tard)?$", text)
    if match and (span := _span(match.group(1)) or _span("les " + match.group(1))):
        return _make(original, "after", span[0], span[1], event=_event(match.group(2)))
    match = re.match(rf"^avant {_NUM} {_UNIT}$", text)
    if match:
        return _make(original, "period", _number(match.group(1)), match.group(2), start_amount=0)
    match = re.match(rf"^entre {_NUM} et {_NUM} {_UNIT}$", text)
    if match:
        start = _number(match.group(1))
        return _make(original, "period", _number(match.group(2)), match.group(3), start_amount=start)
    match = re.match(rf"^a partir (?:de |d'){_NUM} {_UNIT}$", text)
    if match:
        return _make(original, "period", None, match.group(2), start_amount=_number(match.group(1)))
    match = re.match(rf"^{_NUM} {_UNIT} (avant|apres) (.+)$", text)
    if match:
        kind = "before" if match.group(3) == "avant" else "after"
        return _make(original, kind, _number(match.group(1)), match.group(2), event=_event(match.group(4)))
    match = re.match(r"^(?:avant|pendant) (.+)$", text)
    if match:
        return _make(original, "before", 0, "jour", event=_event(match.group(1)))
    match = re.match(r"^(?:lors|au moment|le jour) (?:de |du |d')(.+)$", text)
    if match:
        return _make(original, "on", event=_event(match.group(1)))
    match = re.match(r"^apres (.+)$", text)
    if match:
        return _make(original, "after", event=_event(match.group(1)))
    return None


def _shift(start: date, amount: int, unit: str, sign: int) -> date:
    if unit in ("month", "year"):
        months = amount * (12 if unit == "year" else 1) * sign
        index = start.year * 12 + start.month - 1 + months
        year, month = divmod(index, 12)
        day = min(start.day, calendar.monthrange(year, month + 1)[1])
        return date(year, month + 1, day)
    if unit in WORKING_UNITS:
        return add_days(start, amount * sign, unit)
    days = max(1, -(-amount // 24)) if unit == "hour" else amount * UNIT_DAYS[unit]
    return start + timedelta(days=days * sign)


def start_date(deadline: Deadline, event_date: date) -> date | None:
    """First day the step applies (periods only)."""
    if deadline.kind == "period" and deadline.start_amount is not None and deadline.unit:
        return _shift(event_date, deadline.start_amount, deadline.unit, 1)
    return None


def due_date(deadline: Deadline, event_date: date) -> date | None:
    """The date by which the step is due, ``None`` when the phrase sets no limit."""
    if deadline.kind == "on":
        return event_date
    if deadline.kind == "before":
        return _shift(event_date, deadline.amount or 0, deadline.unit or "day", -1)
    if deadline.kind in ("after", "period") and deadline.amount is not None and deadline.unit:
        due = _shift(event_date, deadline.amount, deadline.unit, 1)
        return add_days(due, 1, "business_day") if deadline.extended and not is_business_day(due) else due
    return None


def french_date(value: date) -> str:
    """``date(2025, 3, 1)`` -> ``"1er mars 2025"``."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTHS[value.month - 1]} {value.year}"


def describe(deadline: Deadline, event_date: date | None = None) -> str:
    """French wording of the deadline; dated when ``event_date`` is given."""
    if event_date is None:
        return deadline.phrase
    due = due_date(deadline, event_date)
    if deadline.kind == "on":
        return f"le {french_date(event_date)}"
    if deadline.kind == "anytime":
        return f"à tout moment à partir du {french_date(event_date)}" if deadline.event else "à tout moment"
    if deadline.kind == "period":
        start = start_date(deadline, event_date) or event_date
        if due is None:
            return f"à partir du {french_date(start)}"
        return f"du {french_date(start)} au {french_date(due)}"
    if due is not None:
        prefix = "dès que possible, " if deadline.asap else ""
        return f"{prefix}avant le {french_date(due)}"
    if deadline.asap:
        return f"dès que possible après le {french_date(event_date)}"
    return f"après le {french_date(event_date)}"


def urgency_key(deadline: Deadline | None) -> tuple[int, int, int]:
    """Sort key: steps before the event, on the day, as soon as possible, then by deadline;
    then open-ended ("après la naissance"), periods, untimed steps, "à tout moment"."""
    if deadline is None:
        return (3, 0, 0)
    days = deadline.days or 0
    if deadline.kind == "before":
        return (0, -days, 0)
    if deadline.kind == "on":
        return (0, 0, 1)
    if deadline.kind == "after" and (deadline.amount is not None or deadline.asap):
        return (0, days, 2)  # "au plus tôt après": as urgent as the day after the event
    if deadline.kind == "after":
        return (1, 0, 0)
    if deadline.kind == "period":
        start = (deadline.start_amount or 0) * UNIT_DAYS.get(deadline.unit or "day", 1)
        return (2, start, 0)
    return (4, 0, 0)
