"""Event dicts as Rasa 3.6 serialises them (``Event.as_dict``), and whole turns built from them."""

from __future__ import annotations

import json
import re
from typing import Any

from rasa_sdk import Action
from rasa_sdk.executor import CollectingDispatcher

from tests.actions.conftest import tracker_from_history

FALLBACK_THRESHOLD = 0.45  # config.yml: FallbackClassifier threshold
TIMESTAMP = 1741600000.0
_BUTTON = re.compile(r"^/(?P<intent>[^{@]+)(?P<entities>\{.*\})?$")

Event = dict[str, Any]
Ranking = list[tuple[str, float]]


def action(name: str) -> Event:
    return {
        "event": "action",
        "timestamp": TIMESTAMP,
        "metadata": {},
        "name": name,
        "policy": None,
        "confidence": None,
        "action_text": None,
        "hide_rule_turn": False,
    }


def listen() -> Event:
    return action("action_listen")


def user(
    text: str,
    intent: str,
    ranking: Ranking | None = None,
    entities: list[dict[str, Any]] | None = None,
    segments: list[tuple[str, Ranking]] | None = None,
) -> Event:
    """A typed message; `ranking` is the classifier's, best first (default: `intent` at 0.9);
    `segments`, the classifier's ranking of stretches of the message (`assistant.nlu.segments`)."""
    ranking = ranking or [(intent, 0.9)]
    assert ranking[0][0] == intent, "the intent is the top of the ranking"
    parse_data = {
        "intent": {"name": intent, "confidence": ranking[0][1]},
        "entities": entities or [],
        "text": text,
        "message_id": None,
        "metadata": {},
        "intent_ranking": [{"name": name, "confidence": conf} for name, conf in ranking],
    }
    if segments is not None:
        parse_data["segments"] = [
            {"text": part, "ranking": [{"name": n, "confidence": c} for n, c in stretch]}
            for part, stretch in segments
        ]
    return {
        "event": "user",
        "timestamp": TIMESTAMP,
        "metadata": {},
        "text": text,
        "parse_data": parse_data,
        "input_channel": "rest",
        "message_id": None,
    }


def fallback(text: str, ranking: Ranking) -> Event:
    """A message the FallbackClassifier did not trust: nlu_fallback is put first, the rest kept."""
    return user(text, "nlu_fallback", [("nlu_fallback", FALLBACK_THRESHOLD), *ranking])


def button(payload: str) -> Event:
    """A button or `/intent{...}` message, parsed like Rasa's RegexMessageHandler."""
    match = _BUTTON.match(payload)
    assert match, payload
    entities = []
    if match.group("entities"):
        start, end = match.span("entities")
        for name, value in json.loads(match.group("entities")).items():
            entities.append(
                {
                    "entity": name,
                    "value": value,
                    "start": start,
                    "end": end,
                    "extractor": "RegexMessageHandler",
                }
            )
    return user(payload, match.group("intent"), [(match.group("intent"), 1.0)], entities)


def answer_button(choice_id: str) -> Event:
    return button('/answer{"choice_id":"' + choice_id + '"}')


def bot(response: str | None = None, text: str = "", custom: dict[str, Any] | None = None) -> Event:
    """What the bot said: a domain response, or a custom payload (`custom`) sent by an action."""
    metadata = {"utter_action": response} if response else {}
    return {
        "event": "bot",
        "timestamp": TIMESTAMP,
        "metadata": metadata,
        "text": text or None,
        "data": {
            "elements": None,
            "quick_replies": None,
            "buttons": None,
            "attachment": None,
            "image": None,
            "custom": custom,
        },
    }


def slot(name: str, value: Any) -> Event:
    return {"event": "slot", "timestamp": TIMESTAMP, "name": name, "value": value}


def active_loop(name: str | None) -> Event:
    return {"event": "active_loop", "timestamp": TIMESTAMP, "name": name}


def session() -> list[Event]:
    """How Rasa opens a conversation: action_session_start, session_started, action_listen."""
    return [action("action_session_start"), {"event": "session_started", "timestamp": TIMESTAMP}, listen()]


def turn(message: Event, action_name: str, *events: Event) -> list[Event]:
    """A past turn: the message, the action predicted for it and what it did, then listening."""
    featurization = {
        "event": "user_featurization",
        "timestamp": TIMESTAMP,
        "use_text_for_featurization": False,
    }
    return [message, featurization, action(action_name), *events, listen()]


def state_slots(**values: Any) -> list[Event]:
    """Slot events for the dialogue state earlier turns left behind."""
    return [slot(name, value) for name, value in values.items()]


def run(action_: Action, history: list[Event], domain: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """Run a synchronous action on the tracker `history` leaves: (events, dispatched messages)."""
    dispatcher = CollectingDispatcher()
    events = action_.run(dispatcher, tracker_from_history(history), domain)
    return events, dispatcher.messages


async def run_async(
    action_: Action, history: list[Event], domain: dict[str, Any]
) -> tuple[list[Any], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await action_.run(dispatcher, tracker_from_history(history), domain)
    return events, dispatcher.messages
