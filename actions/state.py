"""The conversation state the actions share, read from and written to Rasa slots."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

SITUATION_INTENT_PREFIX = "situation_"
_SITUATION_ID = re.compile(r"^[FNR]\d{1,6}$")


def situation_from_intent(intent_name: str | None) -> str | None:
    """`situation_F14128` → `F14128`."""
    if intent_name and intent_name.startswith(SITUATION_INTENT_PREFIX):
        candidate = intent_name[len(SITUATION_INTENT_PREFIX) :]
        return candidate if _SITUATION_ID.match(candidate) else None
    return None


def today() -> date:
    return date.today()


def typed_text(tracker: Tracker) -> str:
    """What the person typed, or "" when the message is a button payload (`/intent{...}`)."""
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


_QUESTION = re.compile(
    r"\?|^\W*(c'?est quoi|qu'?est[- ]ce|comment|pourquoi|[çc]a veut dire|ca veut dire|o[uù] |quand )",
    re.IGNORECASE,
)
QUESTION_INTENTS = ("ask_definition", "ask_demarche", "bot_challenge")


def asks_something(tracker: Tracker) -> bool:
    """The person asks a question ("ça veut dire quoi HLM ?"), not answering one."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent in QUESTION_INTENTS and bool(_QUESTION.search(typed_text(tracker)))


def question_pending(tracker: Tracker) -> bool:
    """A questionnaire question waits for its answer, and no form is running."""
    return bool(tracker.get_slot("pending_question")) and not (tracker.active_loop or {}).get("name")


GREETINGS = ("utter_welcome", "utter_greet", "utter_greet_in_questionnaire")


def already_greeted(tracker: Tracker) -> bool:
    """The bot has said hello in this session (the welcome when the conversation opened, or a
    reply to "bonjour"): a "bonjour" from the person gets no second greeting."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return False
        kind = event.get("event")
        if kind == "action":
            said = event.get("name")
        elif kind == "bot":
            said = (event.get("metadata") or {}).get("utter_action")
        else:
            said = None
        if said in GREETINGS:
            return True
    return False


def looks_like_question(text: str) -> bool:
    return bool(_QUESTION.search(text))


@dataclass
class DialogueState:
    situations: list[str] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    event_date: date | None = None
    pending_question: str | None = None
    plan_page: int = 1

    @classmethod
    def from_tracker(cls, tracker: Tracker) -> DialogueState:
        raw_date = tracker.get_slot("event_date")
        try:
            event = date.fromisoformat(raw_date) if raw_date else None
        except ValueError:
            event = None
        answers = tracker.get_slot("answers")
        return cls(
            situations=[str(s) for s in tracker.get_slot("situations") or []],
            answers={str(k): str(v) for k, v in answers.items()} if isinstance(answers, dict) else {},
            skipped=[str(q) for q in tracker.get_slot("skipped_questions") or []],
            event_date=event,
            pending_question=tracker.get_slot("pending_question") or None,
            plan_page=int(tracker.get_slot("plan_page") or 1),
        )

    def slots(self) -> dict[str, Any]:
        return {
            "situations": list(self.situations),
            "answers": dict(self.answers),
            "skipped_questions": list(self.skipped),
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "pending_question": self.pending_question,
            "plan_page": float(self.plan_page),
        }

    def changes(self, before: DialogueState) -> list[EventType]:
        """SlotSet events for the fields that differ from `before`."""
        old = before.slots()
        return [SlotSet(name, value) for name, value in self.slots().items() if old[name] != value]

    def copy(self) -> DialogueState:
        return DialogueState(
            list(self.situations), dict(self.answers), list(self.skipped),
            self.event_date, self.pending_question, self.plan_page,
        )  # fmt: skip


def response_text(domain: dict[str, Any], name: str) -> str:
    """The text of a one-line domain response, used as a button title."""
    variants = domain.get("responses", {}).get(name) or [{}]
    return str(variants[0].get("text") or "")


def intent_ranking(tracker: Tracker) -> list[tuple[str, float]]:
    ranking = tracker.latest_message.get("intent_ranking") or []
    return [(str(r.get("name")), float(r.get("confidence") or 0.0)) for r in ranking if r.get("name")]


def quoted(domain: dict[str, Any], titles: list[str]) -> str:
    """ "« A », « B » et « C »", with the domain's quotes and "et"."""
    marks = [response_text(domain, "utter_quoted_title").format(title=t) for t in titles]
    if len(marks) < 2:
        return "".join(marks)
    return response_text(domain, "utter_and").format(titles=", ".join(marks[:-1]), last=marks[-1])
