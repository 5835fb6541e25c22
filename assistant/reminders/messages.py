"""The reminder messages as channel-neutral messages, and the payloads of their buttons.

Payloads are the gateway's own and never reach Rasa: `remind:yes|sms|no` (consent),
`reminder:done|stop:<batch>` (on a reminder), `followup:done|not_yet|help:<batch>` (on a
follow-up). A batch is the id of the first reminder of one message; it is checked against the
person's conversation or address before anything is changed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

from assistant import texts
from assistant.conversations.models import Button, OutboundMessage
from assistant.french.dates import format_date_fr

PAYLOAD = re.compile(r"^(remind|reminder|followup):([a-z_]+)(?::(\d{1,12}))?$")


@dataclass(frozen=True)
class Pressed:
    kind: str  # remind, reminder, followup
    value: str
    batch: Optional[int] = None


def parse(payload: Optional[str]) -> Optional[Pressed]:
    match = PAYLOAD.match(payload or "")
    if match is None:
        return None
    kind, value, number = match.groups()
    return Pressed(kind, value, int(number) if number else None)


def say(key: str, **values: object) -> OutboundMessage:
    return OutboundMessage(text=texts.text(key, "fr", **values))


def offsets_phrase(offsets: Sequence[int]) -> str:
    """(7, 1) → "7 jours et 1 jour"."""
    words = [f"{n} jour" if n == 1 else f"{n} jours" for n in sorted(set(offsets), reverse=True)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]


def offer(channel: str, offsets: Sequence[int]) -> OutboundMessage:
    phrase = offsets_phrase(offsets)
    if channel == "web":
        return OutboundMessage(
            text=texts.text("reminder_offer_web", offsets=phrase),
            buttons=(
                Button(texts.text("reminder_yes_sms"), "remind:sms"),
                Button(texts.text("reminder_no"), "remind:no"),
            ),
        )
    if channel == "sms":  # typed OUI / NON: numbered choices would make the SMS longer
        return OutboundMessage(text=texts.text("reminder_offer_sms", offsets=phrase))
    return OutboundMessage(
        text=texts.text("reminder_offer", offsets=phrase),
        buttons=(
            Button(texts.text("reminder_yes"), "remind:yes"),
            Button(texts.text("reminder_no"), "remind:no"),
        ),
    )


def phone_confirm(phone: str) -> OutboundMessage:
    return OutboundMessage(
        text=texts.text("reminder_phone_confirm", phone=readable_phone(phone)),
        buttons=(
            Button(texts.text("reminder_agree"), "remind:yes"),
            Button(texts.text("reminder_no"), "remind:no"),
        ),
    )


def granted(count: int, first: Optional[date], today: date) -> OutboundMessage:
    if not count or first is None:
        return say("reminder_granted_none")
    number = texts.text("reminder_count_one") if count == 1 else texts.text("reminder_count_many", n=count)
    return say("reminder_granted", count=number, first=format_date_fr(first, today))


def payload(kind: str, rows: Sequence[dict[str, Any]], today: date) -> dict[str, Any]:
    """What the channels' `reminder.j2` templates render: one message for the démarches due the
    same day (several: a list), before the deadline or after it (the follow-up)."""
    due = min(row["due"] for row in rows)
    return {
        "type": "reminder",
        "kind": kind,
        "due": due.isoformat(),
        "days_left": (due - today).days,
        "items": [{"fiche_id": r["fiche_id"], "title": r["title"], "url": r["url"] or ""} for r in rows],
    }


def reminder(rows: Sequence[dict[str, Any]], batch: int, today: date) -> OutboundMessage:
    return OutboundMessage(
        custom=payload("before", rows, today),
        buttons=(
            Button(texts.text("reminder_done_button"), f"reminder:done:{batch}"),
            Button(texts.text("reminder_stop_button"), f"reminder:stop:{batch}"),
        ),
    )


def followup(rows: Sequence[dict[str, Any]], batch: int, today: date) -> OutboundMessage:
    return OutboundMessage(
        custom=payload("followup", rows, today),
        buttons=tuple(
            Button(texts.text(f"followup_{value}"), f"followup:{value}:{batch}")
            for value in ("done", "not_yet", "help")
        ),
    )


MOBILE = re.compile(r"(?<!\d)(?:\+33\s*(?:\(0\)\s*)?|0033\s*|0)([67](?:[\s.\-]*\d){8})(?!\d)")


def parse_mobile(text: str) -> Optional[str]:
    """A French mobile number in what the person wrote ("c'est le 06 12 34 56 78", "+33 6 12…")
    → "+33612345678"; None when there is none."""
    match = MOBILE.search(text)
    return "+33" + re.sub(r"\D", "", match.group(1)) if match else None


def readable_phone(phone: str) -> str:
    """ "+33612345678" → "06 12 34 56 78"."""
    national = "0" + phone[3:] if phone.startswith("+33") else phone
    return " ".join(national[i : i + 2] for i in range(0, len(national), 2))
