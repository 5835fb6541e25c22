"""Action tests in rasa_sdk's style: trackers replayed from the event history Rasa sends.

Rasa calls the action server with the tracker serialised by ``DialogueStateTracker.current_state``:
the events since the last restart, plus the state those events leave behind (slots, latest
message, latest action, active loop, follow-up action, paused). `tracker_from_history` replays a
list of event dicts with the same rules as the events' ``apply_to`` in ``rasa.shared.core.events``
and builds the `rasa_sdk.Tracker` with ``Tracker.from_dict``, as the action server does. The event
builders live in `tests.actions.history`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker

import actions.situations
from actions.kb import set_kb
from assistant.config import PROJECT_ROOT
from assistant.kb import KnowledgeBase, load_knowledge_base

SENDER_ID = "test-conversation"
TODAY = date(2025, 3, 10)  # a Monday; "hier" is 2025-03-09
DOMAIN: dict[str, Any] = yaml.safe_load(Path(PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
# Rasa adds these slots to every domain with a form / a session start.
BUILTIN_SLOTS = ("requested_slot", "session_started_metadata")
EMPTY_MESSAGE = {"intent": {}, "entities": [], "text": None, "message_id": None, "metadata": {}}


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The committed knowledge base: actions are checked against the real fiches."""
    return load_knowledge_base(PROJECT_ROOT / "data" / "kb")


@pytest.fixture(autouse=True)
def installed_kb(kb: KnowledgeBase) -> Iterator[KnowledgeBase]:
    set_kb(kb)
    yield kb
    set_kb(None)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Relative dates ("hier") are read against a fixed day."""
    monkeypatch.setattr(actions.situations, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def domain() -> dict[str, Any]:
    """The domain as the action server receives it (a fresh copy: tests may edit it)."""
    return copy.deepcopy(DOMAIN)


def initial_slots() -> dict[str, Any]:
    """Every slot of the domain at its initial value (none of ours declares one)."""
    names = [*DOMAIN["slots"], *BUILTIN_SLOTS]
    return {name: DOMAIN["slots"].get(name, {}).get("initial_value") for name in names}


def tracker_from_history(history: list[dict[str, Any]], sender_id: str = SENDER_ID) -> Tracker:
    """The `Tracker` an action receives after `history` (event dicts, oldest first).

    Supported events: action, user, user_featurization, entities, bot, slot, reset_slots,
    restart, session_started, followup, pause, resume, active_loop, loop_interrupted,
    action_execution_rejected. Others (rewind, undo, reminders) raise: no test needs them.
    """
    slots = initial_slots()
    latest_message: dict[str, Any] = copy.deepcopy(EMPTY_MESSAGE)
    latest_action: str | None = None
    followup_action: str | None = None
    active_loop: dict[str, Any] = {}
    paused = False

    def reset(followup: str) -> None:
        nonlocal slots, latest_message, latest_action, followup_action, active_loop, paused
        slots, latest_message, latest_action = initial_slots(), copy.deepcopy(EMPTY_MESSAGE), None
        followup_action, active_loop, paused = followup, {}, False

    for event in history:
        kind = event["event"]
        if kind == "action":
            latest_action, followup_action = event["name"], None
            if active_loop:
                active_loop["is_interrupted"] = False
                if event["name"] == active_loop["name"]:
                    active_loop["rejected"] = False
        elif kind == "user":
            parse_data = copy.deepcopy(event.get("parse_data") or {})
            latest_message = {
                "intent": parse_data.get("intent") or {},
                "entities": parse_data.get("entities") or [],
                "text": event.get("text"),
                "message_id": event.get("message_id"),
                "metadata": event.get("metadata") or {},
                **parse_data,
            }
            followup_action = None
        elif kind == "entities":
            if latest_action == "action_listen":
                latest_message["entities"] += [
                    e for e in event["entities"] if e not in latest_message["entities"]
                ]
        elif kind == "slot":
            if event["name"] not in slots:
                raise ValueError(f"slot {event['name']!r} is not in the domain")
            slots[event["name"]] = copy.deepcopy(event["value"])
        elif kind == "reset_slots":
            slots = initial_slots()
        elif kind == "restart":
            reset("action_session_start")
        elif kind == "session_started":
            reset("action_listen")
        elif kind == "followup":
            followup_action = event["name"]
        elif kind in ("pause", "resume"):
            paused = kind == "pause"
        elif kind == "active_loop":
            trigger = copy.deepcopy(latest_message)
            active_loop = (
                {
                    "name": event["name"],
                    "is_interrupted": False,
                    "rejected": False,
                    "trigger_message": trigger,
                }
                if event["name"]
                else {}
            )
        elif kind == "loop_interrupted":
            if active_loop:
                active_loop["is_interrupted"] = event["is_interrupted"]
        elif kind == "action_execution_rejected":
            if active_loop and active_loop["name"] == event["name"]:
                active_loop["rejected"] = True
        elif kind not in ("bot", "user_featurization"):
            raise ValueError(f"event {kind!r} is not supported by tracker_from_history")
    state = {
        "sender_id": sender_id,
        "slots": slots,
        "latest_message": latest_message,
        "events": copy.deepcopy(history),
        "paused": paused,
        "followup_action": followup_action,
        "active_loop": active_loop,
        "latest_action_name": latest_action,
    }
    return Tracker.from_dict(state)  # type: ignore[arg-type]
