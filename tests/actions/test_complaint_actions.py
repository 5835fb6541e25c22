"""The complaint form's other actions: the categories' buttons, submitting, abandoning."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from actions.complaints import (
    ActionAskComplaintCategories,
    ActionAskMoreComplaintCategories,
    ActionCancelComplaint,
    ActionSubmitComplaint,
)
from tests.actions.expect import asked, custom, utter
from tests.actions.history import Event, active_loop, bot, listen, run, session, slot, turn, user

CATEGORIES = [  # assistant/feedback: CATEGORIES, in order
    ("jargon", "Vocabulaire, jargon"),
    ("too_long", "Trop long"),
    ("missing_info", "Informations manquantes ou contradictoires"),
    ("unclear_documents", "Pièces demandées pas claires"),
    ("hard_to_fill", "Difficile à lire ou à remplir en ligne"),
    ("other", "Autre"),
]
RESET = [
    SlotSet(name, None)
    for name in (
        "complaint_document",
        "complaint_organisation",
        "complaint_categories",
        "complaint_categories_done",
        "complaint_description",
        "complaint_suggestion",
        "complaint_consent",
        "complaint_contact",
        "complaint_notes",
        "requested_slot",
    )
]
FORM_DOCUMENT = {
    "label": "Formulaire X",
    "kind": "form",
    "fiche_id": "R1",
    "cerfa": "1*01",
    "organisation": None,
}


def category_button(key: str, label: str) -> dict[str, str]:
    return {"title": label, "payload": '/choose_category{"category":"' + key + '"}'}


def report(moving: bool, **slots: Any) -> list[Event]:
    """Right after the form's last run: started during the move questionnaire (pending F14128-q2)
    or outside any situation, `slots` filled (the form's turns are folded into one)."""
    situation = turn(
        user("je déménage", "situation_F14128"),
        "action_situation",
        slot("situations", ["F14128"]),
        slot("answers", {"F14128-q1": "F14128-q1-c1"}),
        slot("pending_question", "F14128-q2"),
        bot("utter_ask_question"),
    )
    form = turn(
        user("ce formulaire est incompréhensible", "complain_document"),
        "complaint_form",
        active_loop("complaint_form"),
        *(slot(k, v) for k, v in slots.items()),
    )[:-1]
    return [*session(), *(situation if moving else []), *form]


def submitted(moving: bool, **slots: Any) -> list[Event]:
    """The form filled every slot it requires and deactivated itself: the submit rule runs next."""
    return [*report(moving, **slots), slot("requested_slot", None), active_loop(None)]


@pytest.mark.parametrize("action_", [ActionAskComplaintCategories(), ActionAskMoreComplaintCategories()])
def test_the_first_categories_question(action_: Any, domain: dict[str, Any]) -> None:
    buttons = [category_button(k, label) for k, label in CATEGORIES]
    history = report(False, requested_slot="complaint_categories")
    assert run(action_, history, domain) == ([], [utter("utter_ask_complaint_categories", buttons)])


def test_more_categories_leaves_out_the_chosen_ones_and_offers_done(domain: dict[str, Any]) -> None:
    history = report(
        False, complaint_categories=["jargon", "other"], requested_slot="complaint_categories_done"
    )
    buttons = [category_button(k, label) for k, label in CATEGORIES if k not in ("jargon", "other")]
    buttons.append({"title": "C'est tout", "payload": '/choose_category{"category":"done"}'})
    expected = [utter("utter_ask_complaint_more_categories", buttons)]
    assert run(ActionAskMoreComplaintCategories(), history, domain) == ([], expected)


def test_submit_sends_the_report_then_resumes_the_situation(domain: dict[str, Any]) -> None:
    history = submitted(
        True,
        complaint_document=FORM_DOCUMENT,
        complaint_organisation="la CAF",
        complaint_categories=["jargon"],
        complaint_categories_done=True,
        complaint_description="je ne comprends pas la page 2",
        complaint_suggestion="",
        complaint_consent=False,
    )
    events, messages = run(ActionSubmitComplaint(), history, domain)
    report_ = {
        "document": {**FORM_DOCUMENT, "organisation": "la CAF"},  # named by the person
        "categories": ["jargon"],
        "description": "je ne comprends pas la page 2",
        "suggestion": None,  # "non" to the suggestion
        "contact_consent": False,
        "contact": None,
        "situations": ["F14128"],
    }
    assert events == RESET
    assert messages == [
        custom({"type": "feedback", "report": report_}),
        utter("utter_back_to_situation"),
        asked("F14128-q2"),
    ]


def test_submit_with_the_fiche_organisation_and_a_contact(domain: dict[str, Any]) -> None:
    document = {
        "label": "Téléservice : Pré-demande de carte d'identité",
        "kind": "website",
        "fiche_id": "R45668",
        "cerfa": "12100*02",
        "organisation": "Agence nationale des titres sécurisés (ANTS)",
    }
    history = submitted(
        False,
        complaint_document=document,
        complaint_categories=["too_long", "other"],
        complaint_categories_done=True,
        complaint_description="trop de pages",
        complaint_suggestion="une seule page",
        complaint_consent=True,
        complaint_contact="marie@example.org",
    )
    events, messages = run(ActionSubmitComplaint(), history, domain)
    report_ = {
        "document": document,
        "categories": ["too_long", "other"],
        "description": "trop de pages",
        "suggestion": "une seule page",
        "contact_consent": True,
        "contact": "marie@example.org",
        "situations": [],
    }
    assert (events, messages) == (RESET, [custom({"type": "feedback", "report": report_})])


def test_submit_of_an_empty_report(domain: dict[str, Any]) -> None:
    """Defaults when slots are missing (the form guarantees them, the action does not rely on it)."""
    events, messages = run(ActionSubmitComplaint(), submitted(False), domain)
    report_ = {
        "document": {"organisation": None},
        "categories": [],
        "description": "",
        "suggestion": None,
        "contact_consent": False,
        "contact": None,
        "situations": [],
    }
    assert (events, messages) == (RESET, [custom({"type": "feedback", "report": report_})])


def test_cancel_stores_nothing_and_resumes_the_situation(domain: dict[str, Any]) -> None:
    history = [
        *report(True, complaint_description="x", requested_slot="complaint_suggestion"),
        listen(),
        user("laisse tomber", "cancel"),
    ]
    events, messages = run(ActionCancelComplaint(), history, domain)
    assert events == [ActiveLoop(None), *RESET]
    assert messages == [
        utter("utter_complaint_cancelled"),
        utter("utter_back_to_situation"),
        asked("F14128-q2"),
    ]


def test_cancel_outside_a_situation(domain: dict[str, Any]) -> None:
    history = [*report(False, requested_slot="complaint_document"), listen(), user("stop", "cancel")]
    assert run(ActionCancelComplaint(), history, domain) == (
        [ActiveLoop(None), *RESET],
        [utter("utter_complaint_cancelled")],
    )


def test_cancel_when_the_pending_question_is_not_of_a_known_situation(domain: dict[str, Any]) -> None:
    # A question id left by a knowledge base update that removed it: nothing to resume.
    history = [
        *report(False, requested_slot="complaint_document"),
        slot("pending_question", "F99999-q1"),
        listen(),
        user("stop", "cancel"),
    ]
    assert run(ActionCancelComplaint(), history, domain) == (
        [ActiveLoop(None), *RESET],
        [utter("utter_complaint_cancelled")],
    )
