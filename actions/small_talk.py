"""Greetings, thanks, goodbyes, "are you a robot", out of scope."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.handover import hand_to_questionnaire
from actions.repairs import SMALL_TALK
from actions.state import already_greeted, question_pending


class ActionSmallTalk(Action):
    """Greetings, thanks, goodbyes, "are you a robot", out of scope: the usual answer, or, while a
    question is pending, a short one followed by the question again."""

    def name(self) -> str:
        return "action_small_talk"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False) or ""
        if not question_pending(tracker):
            name = f"utter_{intent}" if intent in SMALL_TALK else "utter_default"
            if name == "utter_greet" and already_greeted(tracker):  # never two greetings in a row
                name = "utter_greet_again"
            dispatcher.utter_message(response=name)
            return []
        return hand_to_questionnaire(dispatcher, tracker, domain)
