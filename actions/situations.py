"""Life situations: recognise the situation from the intent, using the knowledge base."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.kb import get_kb

SITUATION_INTENT_PREFIX = "situation_"


def situation_from_intent(intent_name: str | None) -> str | None:
    if intent_name and intent_name.startswith(SITUATION_INTENT_PREFIX):
        return intent_name[len(SITUATION_INTENT_PREFIX) :]
    return None


class ActionSituation(Action):
    def name(self) -> str:
        return "action_situation"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        situation_id = situation_from_intent(tracker.get_intent_of_latest_message())
        situation = get_kb().situations.get(situation_id or "")
        if situation is None:
            dispatcher.utter_message(response="utter_default")
            return []
        known: list[str] = list(tracker.get_slot("situations") or [])
        if situation.id not in known:
            known.append(situation.id)
        dispatcher.utter_message(response="utter_situation_recognised", situation_title=situation.title)
        dispatcher.utter_message(response="utter_situation_link", situation_url=situation.url)
        return [SlotSet("situations", known)]
