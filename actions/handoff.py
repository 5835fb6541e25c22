"""Asking for a human: the action sends a control message the gateway turns into a handoff."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.state import DialogueState

PRIORITIES = {"sensitive": 3, "frustration": 2, "misunderstood": 1, "explicit_request": 1}


def previous_user_intents(tracker: Tracker, count: int) -> list[str]:
    """The intents of the last `count` user messages, latest first."""
    intents = [
        str(((e.get("parse_data") or {}).get("intent") or {}).get("name"))
        for e in reversed(tracker.events)
        if e.get("event") == "user"
    ]
    return intents[:count]


def handoff_reason(tracker: Tracker, domain: dict[str, Any]) -> str:
    intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
    if intent == "frustration":
        return "frustration"
    situations = DialogueState.from_tracker(tracker).situations
    if any(f"utter_empathy_{sid}" in domain.get("responses", {}) for sid in situations):
        return "sensitive"
    if previous_user_intents(tracker, 3)[1:3] == ["nlu_fallback", "nlu_fallback"]:
        return "misunderstood"
    return "explicit_request"


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reason = handoff_reason(tracker, domain)
        dispatcher.utter_message(
            json_message={"type": "handoff", "reason": reason, "priority": PRIORITIES[reason]}
        )
        return []
