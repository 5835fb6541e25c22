"""The actions for direct questions and definitions (see `actions.kb_answers`); while a
questionnaire question is pending, the message goes to the questionnaire first."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.handover import hand_to_questionnaire
from actions.kb_answers import define_answer, search_answer
from actions.state import question_pending


class ActionSearch(Action):
    def name(self) -> str:
        return "action_search"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if question_pending(tracker):
            return hand_to_questionnaire(dispatcher, tracker, domain)
        return search_answer(dispatcher, tracker, domain)


class ActionDefine(Action):
    def name(self) -> str:
        return "action_define"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if question_pending(tracker):
            return hand_to_questionnaire(dispatcher, tracker, domain)
        return define_answer(dispatcher, tracker, domain)
