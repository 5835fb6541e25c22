"""Open data: weekly figures per situation and channel, counts under 5 left empty, nothing personal.

Columns (also in docs/architecture.md):
  semaine                  first day (Monday, UTC) of the ISO week, AAAA-MM-JJ
  canal                    web, telegram or sms
  situation                the life situation's fiche id (F14128), or "aucune" when none was identified
  conversations            conversations started that week in which the person wrote
  conversations_autonomes  of those, settled by the assistant alone ("contained")
  taux_autonomie           conversations_autonomes / conversations
  transferts_conseiller    of those, handed to a human agent
  avis_satisfaction        satisfaction answers (1 to 5)
  note_moyenne             their mean
  taux_satisfaits          share of answers of 4 or 5
  messages                 messages written by people
  taux_incompris           share of those the assistant did not understand
A count from 1 to 4 is left empty (statistical secrecy), and so is every figure it would let one
work out: a rate whose numerator or denominator is left empty, a count whose complement within
its row is under 5, and every figure of a row with fewer than 5 conversations. A conversation
about two situations counts in both rows.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Optional

from assistant.stats.cohort import StatsFilter, figures, split
from assistant.storage import Database

THRESHOLD = 5
NO_SITUATION = "aucune"
COLUMNS = (
    "semaine", "canal", "situation", "conversations", "conversations_autonomes", "taux_autonomie",
    "transferts_conseiller", "avis_satisfaction", "note_moyenne", "taux_satisfaits", "messages",
    "taux_incompris",
)  # fmt: skip
GROUPS = ("week", "channel", "situation")


def small(count: int) -> bool:
    return 0 < count < THRESHOLD


def shown(count: int, whole: Optional[int] = None) -> Optional[int]:
    """The count, or None when it (or what it leaves of `whole`) is from 1 to 4."""
    if small(count) or (whole is not None and small(whole - count)):
        return None
    return count


def ratio(part: Optional[int], whole: Optional[int], digits: int = 3) -> Optional[float]:
    if part is None or whole is None or whole == 0:
        return None
    return round(part / whole, digits)


def public_row(counts: dict[str, Any]) -> dict[str, Any]:
    conversations = shown(counts["conversations"])
    if conversations is None:  # fewer than 5 people: nothing about them
        keys = {
            "semaine": counts["week"],
            "canal": counts["channel"],
            "situation": counts["situation"] or NO_SITUATION,
        }
        return {column: keys.get(column) for column in COLUMNS}
    total = counts["conversations"] if conversations is not None else None
    contained = shown(counts["contained"], total) if total is not None else None
    handed_off = shown(counts["handed_off"], total) if total is not None else None
    responses = shown(counts["csat_responses"])
    satisfied = shown(counts["csat_satisfied"], counts["csat_responses"]) if responses is not None else None
    user_messages = shown(counts["user_messages"])
    missed = shown(counts["misunderstood"], counts["user_messages"]) if user_messages is not None else None
    return {
        "semaine": counts["week"],
        "canal": counts["channel"],
        "situation": counts["situation"] or NO_SITUATION,
        "conversations": conversations,
        "conversations_autonomes": contained,
        "taux_autonomie": ratio(contained, conversations),
        "transferts_conseiller": handed_off,
        "avis_satisfaction": responses,
        "note_moyenne": round(counts["csat_total"] / responses, 2) if responses else None,
        "taux_satisfaits": ratio(satisfied, responses),
        "messages": user_messages,
        "taux_incompris": ratio(missed, user_messages),
    }


async def opendata_rows(db: Database, where: StatsFilter) -> list[dict[str, Any]]:
    async with db.connect() as conn:
        rows = (await conn.execute(figures(conn.dialect.name, where, [GROUPS]))).all()
    (groups,) = split(rows, [GROUPS])
    return [public_row(counts) for counts in groups]


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()
