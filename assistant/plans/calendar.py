"""An action plan as an iCalendar file (RFC 5545): one all-day event, with a reminder, per deadline.

The output depends only on the arguments (no clock, no randomness): the same plan exported twice gives
the same bytes, and the same UIDs, so that a calendar application updates its events instead of
duplicating them when the file is imported again.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from assistant.french.dates import format_date_fr

PRODID = "-//Assistant démarches//FR"
UID_DOMAIN = "assistant-demarches"
REMINDER_DAYS = 3
_MAX_OCTETS = 75  # per physical line, CRLF excluded (RFC 5545 §3.1)


def plan_to_ics(items: Sequence[Mapping[str, Any]], *, title: str, uid_seed: str, now: datetime) -> str:
    """The iCalendar text (CRLF line endings) for the items of a plan that have a `due_date`.

    Each item has `fiche_id`, `title`, `url`, `due_date` (ISO date string, a date, or None),
    `deadline_phrase` and optionally `explanation`. Items without a due date are left out; a due date
    that is not a date raises ValueError. `now` (naive means UTC) is the DTSTAMP of every event; a
    UID is derived from `uid_seed` and the fiche id, so it is stable across exports of the same plan.
    """
    utc = now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)
    stamp = utc.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(title)}",
    ]
    seen: dict[str, int] = {}
    for item in items:
        due = _due_date(item.get("due_date"))
        if due is None:
            continue
        fiche_id = str(item.get("fiche_id") or "")
        seen[fiche_id] = seen.get(fiche_id, 0) + 1
        lines += _event(item, due, stamp, _uid(uid_seed, fiche_id, seen[fiche_id]), now.date())
    lines.append("END:VCALENDAR")
    return "".join(f"{physical}\r\n" for line in lines for physical in fold_line(line))


def escape_text(value: str) -> str:
    r"""A TEXT value: `\`, `;`, `,` escaped, line breaks as `\n`, other control characters dropped."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c in "\n\t" or unicodedata.category(c) != "Cc")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> Iterator[str]:
    """`line` cut into physical lines of at most 75 octets, continuations starting with a space.

    Cuts fall between characters, never inside the UTF-8 encoding of one.
    """
    chunk, size, limit = "", 0, _MAX_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            yield chunk
            chunk, size, limit = " ", 1, _MAX_OCTETS
        chunk += char
        size += octets
    yield chunk


def _event(item: Mapping[str, Any], due: date, stamp: str, uid: str, today: date) -> list[str]:
    summary = str(item.get("title") or "").strip() or "Démarche à effectuer"
    url = "".join(str(item.get("url") or "").split())  # a URI: no spaces, no line breaks, not escaped
    phrase = str(item.get("deadline_phrase") or "").strip()
    parts = (str(item.get("explanation") or "").strip(), phrase and f"Délai : {phrase}")
    description = "\n".join(part for part in (*parts, url and f"Fiche officielle : {url}") if part)
    reminder = f"Rappel : « {summary} » à faire au plus tard le {format_date_fr(due, today)}."
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
        f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        *([f"URL:{url}"] if url else []),
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"TRIGGER:-P{REMINDER_DAYS}D",
        f"DESCRIPTION:{escape_text(reminder)}",
        "END:VALARM",
        "END:VEVENT",
    ]


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
