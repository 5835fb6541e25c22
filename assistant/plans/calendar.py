"""An action plan as an iCalendar file (RFC 5545): one all-day event, with a reminder, per deadline.

The `icalendar` library writes the file: components, property value types (DATE, DATE-TIME in UTC,
DURATION, URI), TEXT escaping, line folding at 75 octets and CRLF line endings. What stays here is
what the plan means: which items become events, their texts (in French), their stable UIDs, and the
cleaning of the texts before the library sees them (NFC, every line break as LF, other control
characters dropped, since RFC 5545 allows none in a TEXT value and the library would write them).

The output depends only on the arguments (no clock, no randomness): the same plan exported twice gives
the same bytes, and the same UIDs, so that a calendar application updates its events instead of
duplicating them when the file is imported again.

Known library behaviour: `icalendar` reads a literal backslash followed by a capital N in a text as
the RFC's other spelling of a line break (`\\N`), and writes a line break there. Plan texts come from
the official fiches, which hold no such sequence.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from icalendar import Alarm, Calendar, Event  # type: ignore[import-untyped]
from icalendar.parser import escape_char, foldline  # type: ignore[import-untyped]

from assistant.french.dates import format_date_fr

PRODID = "-//Assistant démarches//FR"
UID_DOMAIN = "assistant-demarches"
REMINDER_DAYS = 3


def plan_to_ics(items: Sequence[Mapping[str, Any]], *, title: str, uid_seed: str, now: datetime) -> str:
    """The iCalendar text (CRLF line endings) for the items of a plan that have a `due_date`.

    Each item has `fiche_id`, `title`, `url`, `due_date` (ISO date string, a date, or None),
    `deadline_phrase` and optionally `explanation`. Items without a due date are left out; a due date
    that is not a date raises ValueError. `now` (naive means UTC) is the DTSTAMP of every event; a
    UID is derived from `uid_seed` and the fiche id, so it is stable across exports of the same plan.
    """
    stamp = now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _clean_text(title))
    seen: dict[str, int] = {}
    for item in items:
        due = _due_date(item.get("due_date"))
        if due is None:
            continue
        fiche_id = str(item.get("fiche_id") or "")
        seen[fiche_id] = seen.get(fiche_id, 0) + 1
        uid = _uid(uid_seed, fiche_id, seen[fiche_id])
        calendar.add_component(_event(item, due, stamp.replace(microsecond=0), uid, now.date()))
    ics: bytes = calendar.to_ical()
    return ics.decode("utf-8")


def escape_text(value: str) -> str:
    r"""`value` as the library writes it in a TEXT property: cleaned, then `\`, `;`, `,` escaped and
    line breaks as `\n`."""
    escaped: str = escape_char(_clean_text(value))
    return escaped


def fold_line(line: str) -> Iterator[str]:
    """`line` cut by the library into physical lines of at most 75 octets, continuations starting
    with a space; cuts fall between characters, never inside the UTF-8 encoding of one."""
    folded: str = foldline(line)
    yield from folded.split("\r\n")


def _clean_text(value: str) -> str:
    """NFC, every line break as LF, control characters other than LF and tab dropped."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in value if c in "\n\t" or unicodedata.category(c) != "Cc")


def _event(item: Mapping[str, Any], due: date, stamp: datetime, uid: str, today: date) -> Event:
    summary = _clean_text(str(item.get("title") or "")).strip() or "Démarche à effectuer"
    url = "".join(str(item.get("url") or "").split())  # a URI: no spaces, no line breaks, not escaped
    phrase = _clean_text(str(item.get("deadline_phrase") or "")).strip()
    parts = (_clean_text(str(item.get("explanation") or "")).strip(), phrase and f"Délai : {phrase}")
    description = "\n".join(part for part in (*parts, url and f"Fiche officielle : {url}") if part)
    reminder = f"Rappel : « {summary} » à faire au plus tard le {format_date_fr(due, today)}."

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    if url:
        event.add("url", url)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-REMINDER_DAYS))
    alarm.add("description", reminder)
    event.add_component(alarm)
    return event


def _due_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip()[:10])
    raise ValueError(f"due_date is not a date: {value!r}")


def _uid(seed: str, fiche_id: str, occurrence: int) -> str:
    """Stable: the same seed and fiche give the same UID (a repeated fiche gets its rank mixed in)."""
    key = f"{seed}\x1f{fiche_id}" + (f"\x1f{occurrence}" if occurrence > 1 else "")
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()}@{UID_DOMAIN}"
