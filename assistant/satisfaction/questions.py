"""The satisfaction questions as channel-neutral messages, and the payloads of their buttons.

Payloads are the gateway's own (`csat:4`, `csat:skip`, `csat_reason:too_long`, `helpful:yes:<id>`)
and never reach Rasa. By SMS the buttons become numbered choices: the person answers with a digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from assistant import texts
from assistant.conversations.models import Button, OutboundMessage
from assistant.satisfaction import REASONS, SCORES

PAYLOAD = re.compile(r"^(csat|csat_reason|helpful):([a-z0-9_]+)(?::(\d{1,12}))?$")
NO_SKIP_BUTTON = ("sms",)  # by SMS, writing anything else skips the question


@dataclass(frozen=True)
class Answer:
    kind: str  # csat, csat_reason, helpful
    value: str
    message_id: Optional[int] = None


def parse(payload: Optional[str]) -> Optional[Answer]:
    match = PAYLOAD.match(payload or "")
    if match is None:
        return None
    kind, value, number = match.groups()
    return Answer(kind, value, int(number) if number else None)


def score_question(channel: str) -> OutboundMessage:
    buttons = [Button(texts.text(f"csat_score_{n}"), f"csat:{n}") for n in SCORES]
    if channel not in NO_SKIP_BUTTON:
        buttons.append(Button(texts.text("csat_skip_button"), "csat:skip"))
    key = "csat_question_sms" if channel in NO_SKIP_BUTTON else "csat_question"
    return OutboundMessage(text=texts.text(key), buttons=tuple(buttons))


def reason_question() -> OutboundMessage:
    buttons = [Button(texts.text(f"csat_reason_{r}"), f"csat_reason:{r}") for r in REASONS]
    return OutboundMessage(text=texts.text("csat_reason_question"), buttons=tuple(buttons))


def helpful_question(message_id: int) -> OutboundMessage:
    return OutboundMessage(
        text=texts.text("helpful_question"),
        buttons=(
            Button(texts.text("helpful_yes"), f"helpful:yes:{message_id}"),
            Button(texts.text("helpful_no"), f"helpful:no:{message_id}"),
        ),
    )


def say(key: str) -> OutboundMessage:
    return OutboundMessage(text=texts.text(key))
