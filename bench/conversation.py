"""The message mix of one simulated person: a scripted conversation that follows the bot's buttons."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

GREETINGS = ("bonjour", "bonjour, j'ai besoin d'aide", "salut")
SITUATIONS = ("je déménage", "je déménage le mois prochain", "on va changer de logement")
DEMARCHES = ("j'ai perdu ma carte d'identité", "comment refaire mon passeport ?")
GLOSSARY = ("c'est quoi un préavis ?", "que veut dire préavis ?")
PLAN_STEPS = ("la suite", "plus de détails sur la 2")
MAX_ANSWERS = 8


@dataclass(frozen=True)
class Turn:
    """One message a person sends: typed text or the payload of a button they pressed."""

    text: Optional[str] = None
    payload: Optional[str] = None

    @property
    def body(self) -> str:
        return self.text if self.text is not None else self.payload or ""


def answer_payloads(messages: Sequence[dict[str, Any]]) -> list[str]:
    """Payloads of the answer buttons of the bot's last question ("je ne sais pas" left out)."""
    payloads: list[str] = []
    for message in messages:
        for button in message.get("buttons") or ():
            payload = str(button.get("payload") or "")
            if payload.startswith("/answer") and "-skip" not in payload:
                payloads.append(payload)
    return payloads


class Script:
    """Greeting, a situation, its questionnaire by buttons, the plan, a démarche, a definition.

    `next_turn` is given the bot's replies to the previous turn and returns the next message,
    or None when the conversation is over (the caller then opens a new one).
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible mix, not security
        self.answers = 0
        self.queue: list[str] = [self.rng.choice(GREETINGS), self.rng.choice(SITUATIONS)]
        self.after_questions: list[str] = [
            *PLAN_STEPS,
            self.rng.choice(DEMARCHES),
            self.rng.choice(GLOSSARY),
        ]
        self.in_questions = False

    def next_turn(self, replies: Sequence[dict[str, Any]]) -> Optional[Turn]:
        if self.in_questions:
            payloads = answer_payloads(replies)
            if payloads and self.answers < MAX_ANSWERS:
                self.answers += 1
                return Turn(payload=self.rng.choice(payloads))
            self.in_questions = False
            self.queue = self.after_questions
            self.after_questions = []
        if not self.queue:
            return None
        text = self.queue.pop(0)
        if not self.queue and self.after_questions:
            self.in_questions = True  # the situation is sent: its questions come next
        return Turn(text=text)
