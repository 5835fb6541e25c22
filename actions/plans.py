"""The personal plan: a structured payload the channels render, its pages and its details."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.handover import hand_to_questionnaire
from actions.kb import get_kb
from actions.plan_view import item_payload, page_count, related_payload, show_plan
from actions.state import DialogueState, question_pending, today, typed_text
from assistant.french.folding import fold
from assistant.french.numbers import parse_ordinal, read_number
from assistant.kb.plan_model import Plan


def item_number(text: str) -> int | None:
    """`plus de détails sur la 3` → 3; `la troisième` → 3; `la vingt-et-unième` → 21; `la cinq` → 5.

    An ordinal wins over a number in words ("une explication sur la deuxième" → 2); "un"/"une" is
    the number one only after "le", "la", "numéro" or alone ("la une"), an article otherwise.
    """
    folded = fold(text)
    digits = re.search(r"\b(\d{1,3})\s*(?:e|eme|er|ere)?\b", folded)
    if digits:
        return int(digits.group(1))
    words = re.findall(r"[a-z]+", folded)
    cardinals: list[int] = []
    start = 0
    while start < len(words):
        found = read_number(words, start, ordinals=True)
        if found is None:
            start += 1
            continue
        value, end = found
        if parse_ordinal(" ".join(words[start:end])) is not None:
            return value
        article = words[start : start + 1] in (["un"], ["une"]) and end == start + 1
        if not article or len(words) == 1 or words[start - 1 : start] in (["le"], ["la"], ["numero"]):
            cardinals.append(value)
        start = end
    return cardinals[0] if cardinals else None


def current_plan(dispatcher: CollectingDispatcher, tracker: Tracker) -> tuple[DialogueState, Plan] | None:
    """The person's plan as it stands, or None (and a message) when there is no situation yet."""
    state = DialogueState.from_tracker(tracker)
    if not state.situations:
        dispatcher.utter_message(response="utter_no_plan")
        return None
    return state, get_kb().plan(state.situations, state.answers, state.event_date, today())


class _PlanAction(Action, ABC):
    """An action on the plan as it stands; a pending question is answered first, and without a
    situation there is no plan to act on."""

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if question_pending(tracker):
            return hand_to_questionnaire(dispatcher, tracker, domain)
        current = current_plan(dispatcher, tracker)
        if current is None:
            return []
        state, plan = current
        return self.on_plan(dispatcher, tracker, domain, state, plan)

    @abstractmethod
    def on_plan(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any],
        state: DialogueState, plan: Plan,
    ) -> list[EventType]:  # fmt: skip
        """What the action does with the plan."""


class ActionPlanNext(_PlanAction):
    def name(self) -> str:
        return "action_plan_next"

    def on_plan(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any],
        state: DialogueState, plan: Plan,
    ) -> list[EventType]:  # fmt: skip
        if state.plan_page >= page_count(len(plan.items)):
            dispatcher.utter_message(response="utter_plan_end")
            return []
        return show_plan(dispatcher, get_kb(), state, state.plan_page + 1, domain)


class ActionPlanDetails(_PlanAction):
    def name(self) -> str:
        return "action_plan_details"

    def on_plan(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any],
        state: DialogueState, plan: Plan,
    ) -> list[EventType]:  # fmt: skip
        number = item_number(typed_text(tracker))
        if number is None or not 1 <= number <= len(plan.items):
            dispatcher.utter_message(response="utter_plan_item_unknown", count=len(plan.items))
            return []
        item = item_payload(number, plan.items[number - 1])
        dispatcher.utter_message(json_message={"type": "plan_item", "item": item})
        return []


class ActionPlanRelated(_PlanAction):
    """ "Pour en savoir plus": the references of the plan, apart from its démarches."""

    def name(self) -> str:
        return "action_plan_related"

    def on_plan(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any],
        state: DialogueState, plan: Plan,
    ) -> list[EventType]:  # fmt: skip
        dispatcher.utter_message(json_message={"type": "plan_related", "items": related_payload(plan)})
        return []
