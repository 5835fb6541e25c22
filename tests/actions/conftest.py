"""Action tests in the rasa_sdk style: trackers built from slots and messages, events asserted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker

from actions.kb import set_kb
from assistant.config import PROJECT_ROOT
from assistant.kb import KnowledgeBase, load_knowledge_base


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The committed knowledge base: actions are checked against the real fiches' rules."""
    return load_knowledge_base(PROJECT_ROOT / "data" / "kb")


@pytest.fixture(autouse=True)
def installed_kb(kb: KnowledgeBase) -> Iterator[KnowledgeBase]:
    set_kb(kb)
    yield kb
    set_kb(None)


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(Path(PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return data


def make_tracker(
    text: str,
    intent: str,
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    ranking: list[tuple[str, float]] | None = None,
) -> Tracker:
    ranking = ranking or [(intent, 0.9)]
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": ranking[0][1]},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
        "entities": entities or [],
    }
    return Tracker(
        sender_id="test-conversation",
        slots=slots or {},
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def choice(choice_id: str) -> list[dict[str, Any]]:
    return [{"entity": "choice_id", "value": choice_id}]
