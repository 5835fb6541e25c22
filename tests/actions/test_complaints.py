"""The complaint form: document resolution, categories, consent, submission and abandon."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints import (
    SLOTS,
    ActionAskComplaintCategories,
    ActionCancelComplaint,
    ActionSubmitComplaint,
    ValidateComplaintForm,
)
from tests.actions.conftest import make_tracker


def form_tracker(
    text: str, intent: str, requested: str | None, slots: dict[str, Any] | None = None, entities: Any = None
) -> Any:
    return make_tracker(text, intent, {"requested_slot": requested, **(slots or {})}, entities)


async def extract(
    method: str, tracker: Any, domain: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    result = await getattr(ValidateComplaintForm(), method)(dispatcher, tracker, domain)
    return result, dispatcher.messages


@pytest.mark.parametrize(
    "typed", ["12100*02", "cerfa 12100", "n°12100", "le formulaire CERFA n° 12100 est illisible"]
)
async def test_cerfa_typed_several_ways(typed: str, domain: dict[str, Any]) -> None:
    result, messages = await extract(
        "extract_complaint_document", form_tracker(typed, "nlu_fallback", "complaint_document"), domain
    )
    document = result["complaint_document"]
    assert document["cerfa"] == "12100*02" and document["fiche_id"] == "R45668"
    assert document["kind"] == "website" and document["organisation"]
    assert messages == []


async def test_cerfa_in_the_first_message_is_used(domain: dict[str, Any]) -> None:
    tracker = form_tracker("le cerfa 13750 est incompréhensible", "complain_document", None)
    result, _ = await extract("extract_complaint_document", tracker, domain)
    assert result["complaint_document"]["cerfa"].startswith("13750")


async def test_ambiguous_title_asks_with_buttons(domain: dict[str, Any]) -> None:
    tracker = form_tracker("le formulaire de demande de RSA", "nlu_fallback", "complaint_document")
    result, messages = await extract("extract_complaint_document", tracker, domain)
    assert "complaint_document" not in result and result["complaint_document_text"]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[0] == '/choose_document{"fiche_id":"N19775"}' and payloads[-1].endswith('"none"}')
    chosen = form_tracker(
        payloads[0],
        "choose_document",
        "complaint_document",
        result,
        [{"entity": "fiche_id", "value": "N19775"}],
    )
    picked, _ = await extract("extract_complaint_document", chosen, domain)
    assert (
        picked["complaint_document"]["fiche_id"] == "N19775"
        and picked["complaint_document"]["cerfa"] == "15481*01"
    )
    none = form_tracker(
        "/choose", "choose_document", "complaint_document", result, [{"entity": "fiche_id", "value": "none"}]
    )
    kept, _ = await extract("extract_complaint_document", none, domain)
    assert kept["complaint_document"] == {
        "label": "le formulaire de demande de RSA",
        "kind": "document",
        "fiche_id": None,
        "cerfa": None,
        "organisation": None,
    }


@pytest.mark.parametrize(
    ("typed", "kind"), [("la lettre de la CAF du 3 mars", "letter"), ("un mail de France Travail", "email")]
)
async def test_letters_and_emails(typed: str, kind: str, domain: dict[str, Any]) -> None:
    result, _ = await extract(
        "extract_complaint_document", form_tracker(typed, "nlu_fallback", "complaint_document"), domain
    )
    assert result["complaint_document"]["kind"] == kind and result["complaint_document"]["fiche_id"] is None


async def test_categories_are_collected_until_done(domain: dict[str, Any]) -> None:
    def pick(value: str, chosen: list[str]) -> Any:
        slots = {"complaint_categories": chosen}
        entities = [{"entity": "category", "value": value}]
        return form_tracker(
            "/choose_category", "choose_category", "complaint_categories_done", slots, entities
        )

    first, _ = await extract("extract_complaint_categories_done", pick("jargon", []), domain)
    assert first == {"complaint_categories": ["jargon"]}
    second, _ = await extract("extract_complaint_categories_done", pick("too_long", ["jargon"]), domain)
    assert second == {"complaint_categories": ["jargon", "too_long"]}
    done, _ = await extract("extract_complaint_categories_done", pick("done", ["jargon", "too_long"]), domain)
    assert done == {"complaint_categories_done": True}
    dispatcher = CollectingDispatcher()
    ActionAskComplaintCategories().run(
        dispatcher, make_tracker("", "x", {"complaint_categories": ["jargon"]}), domain
    )
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert "Vocabulaire, jargon" not in titles and titles[-1] == "C'est tout" and len(titles) == 6
    typed = form_tracker("c'est écrit trop petit", "nlu_fallback", "complaint_categories")
    instead, _ = await extract("extract_complaint_categories", typed, domain)
    assert instead == {
        "complaint_categories": ["other"],
        "complaint_categories_done": True,
        "complaint_description": "c'est écrit trop petit",
    }


async def test_required_slots_skip_what_is_known(domain: dict[str, Any]) -> None:
    form = ValidateComplaintForm()
    listed = list(domain["forms"]["complaint_form"]["required_slots"])
    tracker = make_tracker(
        "x", "deny", {"complaint_document": {"organisation": "ANTS"}, "complaint_consent": False}
    )
    slots = await form.required_slots(listed, CollectingDispatcher(), tracker, domain)
    assert "complaint_organisation" not in slots and "complaint_contact" not in slots
    assert slots[0] == "complaint_document"


def test_submit_sends_the_report_then_resumes_the_situation(domain: dict[str, Any]) -> None:
    slots = {
        "complaint_document": {
            "label": "Formulaire X",
            "kind": "form",
            "fiche_id": "R1",
            "cerfa": "1*01",
            "organisation": None,
        },
        "complaint_organisation": "la CAF",
        "complaint_categories": ["jargon"],
        "complaint_description": "je ne comprends pas la page 2, appelez-moi au 06 12 34 56 78",
        "complaint_suggestion": "",
        "complaint_consent": False,
        "situations": ["F14128"],
        "pending_question": "F14128-q2",
    }
    dispatcher = CollectingDispatcher()
    events = ActionSubmitComplaint().run(dispatcher, make_tracker("non", "deny", slots), domain)
    report = dispatcher.messages[0]["custom"]["report"]
    assert report["document"]["organisation"] == "la CAF" and report["contact"] is None
    assert report["situations"] == ["F14128"] and report["suggestion"] is None
    assert [m.get("response") for m in dispatcher.messages[1:]] == [
        "utter_back_to_situation",
        "utter_ask_question",
    ]
    assert dispatcher.messages[2]["question_text"] == "Nationalité"
    assert {e["name"] for e in events} >= set(SLOTS) and all(e["value"] is None for e in events)


def test_cancel_stores_nothing_and_resumes(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    slots = {"situations": ["F14128"], "pending_question": "F14128-q1", "complaint_description": "x"}
    events = ActionCancelComplaint().run(
        dispatcher, make_tracker("laisse tomber", "stop_complaint", slots), domain
    )
    assert events[0] == ActiveLoop(None) and SlotSet("complaint_description", None) in events
    assert not any(m.get("custom") for m in dispatcher.messages)
    assert dispatcher.messages[0]["response"] == "utter_complaint_cancelled"
    assert dispatcher.messages[-1]["question_text"] == "Situation avant le déménagement"
