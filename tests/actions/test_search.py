"""Direct démarche questions and definitions, against the real catalogue."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.search import ActionDefine, ActionSearch
from tests.actions.conftest import make_tracker


def search(text: str, domain: dict[str, Any], slots: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    assert ActionSearch().run(dispatcher, make_tracker(text, "ask_demarche", slots), domain) == []
    return dispatcher.messages


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("j'ai perdu ma carte d'identité", {"F1344", "F1153"}),
        ("comment demander le RSA", {"N19775", "F19778"}),
        ("cerfa 13750", None),
    ],
)
def test_direct_questions_get_official_fiches(
    question: str, expected: set[str] | None, domain: dict[str, Any]
) -> None:
    messages = search(question, domain)
    results = messages[0]["custom"]["results"]
    assert 1 <= len(results) <= 3
    assert all(r["url"].startswith("https://www.service-public.fr/") for r in results)
    if expected is None:
        assert any(any(c.startswith("13750") for c in r["cerfa"]) for r in results)
    else:
        assert expected & {r["fiche_id"] for r in results}


def test_nothing_relevant_offers_a_human(domain: dict[str, Any]) -> None:
    messages = search("zorglub quantique", domain)
    assert messages[0]["response"] == "utter_search_nothing"


def test_definition_from_the_glossary(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    ActionDefine().run(dispatcher, make_tracker("c'est quoi un préavis ?", "ask_definition"), domain)
    assert dispatcher.messages[0]["response"] == "utter_definition"
    assert "préavis" in dispatcher.messages[0]["term"].lower()
    assert dispatcher.messages[1]["source_url"].startswith("https://www.service-public.fr/")
