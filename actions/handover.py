"""While a question is pending, the message belongs to the questionnaire first.

The NLU may take a typed answer for something else ("1" for "details of item 1", "fr" for a
démarche question, "merci" for thanks). The actions those intents lead to call
`hand_to_questionnaire` first (see `actions.state.question_pending`): `action_situation` then
reads the message as an answer, a repair or a digression, and asks the pending question again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.situations import ActionSituation


def hand_to_questionnaire(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[EventType]:
    return ActionSituation().run(dispatcher, tracker, domain)
