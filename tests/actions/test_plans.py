"""Plan pages and details."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.plans import PAGE_SIZE, ActionPlanDetails, ActionPlanNext, item_number, plan_payload
from assistant.kb import KnowledgeBase
from tests.actions.conftest import make_tracker

DEATH = {
    "situations": ["F16507"],
    "answers": {},
    "skipped_questions": ["F16507-q1", "F16507-q2", "F16507-q3", "F16507-q4"],
}


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("plus de détails sur la 3", 3),
        ("detail 12", 12),
        ("la troisième", 3),
        ("la 1ère", 1),
        ("et celle-là", None),
    ],
)
def test_item_number(text: str, number: int | None) -> None:
    assert item_number(text) == number


def test_plan_is_ordered_by_urgency_with_dates(kb: KnowledgeBase) -> None:
    event = date.today() - timedelta(days=1)
    plan = kb.plan(["F16507"], {}, event)
    payload = plan_payload(kb, plan, 1)
    assert payload["total"] == len(plan.items) > PAGE_SIZE
    assert payload["page_items"] == payload["items"][:PAGE_SIZE]
    first = payload["urgent"][0]
    assert first["deadline_phrase"] == "Dans les 24 heures"
    assert first["due_date"] == (event + timedelta(days=1)).isoformat()
    assert first["deadline"].startswith("avant le ")
    dated = [i["due_date"] for i in payload["items"] if i["due_date"]]
    assert dated == sorted(dated)
    assert len({i["fiche_id"] for i in payload["items"]}) == payload["total"]


def test_next_page_then_end(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    events = ActionPlanNext().run(
        dispatcher, make_tracker("la suite", "plan_next", {**DEATH, "plan_page": 1.0}), domain
    )
    payload = dispatcher.messages[0]["custom"]
    assert payload["page"] == 2 and payload["page_items"][0]["index"] == PAGE_SIZE + 1
    assert SlotSet("plan_page", 2.0) in events
    last = float(payload["pages"])
    dispatcher = CollectingDispatcher()
    assert (
        ActionPlanNext().run(
            dispatcher, make_tracker("la suite", "plan_next", {**DEATH, "plan_page": last}), domain
        )
        == []
    )
    assert dispatcher.messages[0]["response"] == "utter_plan_end"


def test_details_of_an_item(domain: dict[str, Any], kb: KnowledgeBase) -> None:
    dispatcher = CollectingDispatcher()
    ActionPlanDetails().run(
        dispatcher, make_tracker("plus de détails sur la 2", "plan_details", DEATH), domain
    )
    item = dispatcher.messages[0]["custom"]["item"]
    expected = kb.plan(["F16507"], {}).items[1]
    assert item["index"] == 2 and item["fiche_id"] == expected.fiche_id
    assert item["url"].startswith("https://www.service-public.fr/particuliers/vosdroits/")


def test_details_out_of_range(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    ActionPlanDetails().run(dispatcher, make_tracker("détails de la 999", "plan_details", DEATH), domain)
    assert dispatcher.messages[0]["response"] == "utter_plan_item_unknown"


def test_no_plan_yet(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    ActionPlanNext().run(dispatcher, make_tracker("la suite", "plan_next"), domain)
    assert dispatcher.messages[0]["response"] == "utter_no_plan"
