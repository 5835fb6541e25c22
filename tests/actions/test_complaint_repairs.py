"""The complaint form while a person types: numbers for the difficulties, corrections of the
document, digressions and requests to leave that the form lets its rules answer."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.complaint_form import ValidateComplaintForm
from actions.complaints import ActionComplaintGoBack
from tests.actions.conftest import tracker_from_history
from tests.actions.expect import utter
from tests.actions.forms import LETTER, ORDER, reporting, validate
from tests.actions.history import run, user

CPAM = "Caisse primaire d'assurance maladie (CPAM)"
ANSWERS: dict[str, Any] = {
    "complaint_document": LETTER,
    "complaint_organisation": "la CAF",
    "complaint_categories": ["jargon"],
    "complaint_categories_done": True,
    "complaint_description": "des mots",
    "complaint_suggestion": "",
}


def answered_until(requested: str) -> dict[str, Any]:
    """The report's answers to every question asked before `requested`."""
    return {name: value for name, value in ANSWERS.items() if ORDER.index(name) < ORDER.index(requested)}


@pytest.mark.parametrize(
    ("chosen", "typed", "expected"),
    [
        ([], "1 et 3", ["jargon", "missing_info"]),
        ([], "5", ["hard_to_fill"]),
        (["unclear_documents"], "et 2 aussi", ["unclear_documents", "too_long"]),  # the buttons left
    ],
)
async def test_the_difficulties_by_their_numbers(
    chosen: list[str], typed: str, expected: list[str], domain: dict[str, Any]
) -> None:
    slot_name = "complaint_categories_done" if chosen else "complaint_categories"
    filled = {"complaint_document": LETTER, "complaint_organisation": "la CAF"}
    if chosen:
        filled["complaint_categories"] = chosen
    history = [*reporting(slot_name, **filled), user(typed, "nlu_fallback")]
    events, _ = await validate(history, domain)
    assert events[0] == SlotSet("complaint_categories", expected)


async def test_the_sender_corrected_while_the_difficulties_are_asked(domain: dict[str, Any]) -> None:
    filled = {"complaint_document": LETTER, "complaint_organisation": "la CAF"}
    typed = "ah non pardon c'est pas la caf c'est la cpam, l'assurance maladie"
    events, messages = await validate(
        [*reporting("complaint_categories", **filled), user(typed, "deny")], domain
    )
    # The sender now known, the organisation question is dropped; no category is taken.
    assert events == [
        SlotSet("complaint_document", {**LETTER, "organisation": CPAM}),
        SlotSet("requested_slot", "complaint_categories"),
    ]
    assert messages == [utter("utter_complaint_document_corrected")]


async def test_a_letter_that_was_an_email(domain: dict[str, Any]) -> None:
    filled = {"complaint_document": LETTER, "complaint_organisation": "la CAF"}
    typed = "ah non c'était un mail en fait, pas une lettre"
    events, _ = await validate([*reporting("complaint_categories", **filled), user(typed, "deny")], domain)
    assert events == [SlotSet("complaint_document", {**LETTER, "kind": "email"})]


@pytest.mark.parametrize(
    ("requested", "typed", "intent"),
    [
        ("complaint_categories", "c'est quoi ce site au fait ?", "bot_challenge"),
        ("complaint_categories", "et comment on fait une procuration pour voter ?", "ask_demarche"),
        ("complaint_consent", "c'est quoi un cerfa ?", "ask_definition"),
    ],
)
async def test_a_question_where_a_short_answer_is_expected_is_a_digression(
    requested: str, typed: str, intent: str, domain: dict[str, Any]
) -> None:
    filled = answered_until(requested)
    history = [*reporting(requested, **filled), user(typed, intent, [(intent, 0.9)])]
    assert await validate(history, domain) == ([], [])  # the form lets the digression's rule answer


async def test_a_question_in_the_description_is_the_description(domain: dict[str, Any]) -> None:
    filled = {
        "complaint_document": LETTER,
        "complaint_organisation": "la CAF",
        "complaint_categories": ["jargon"],
        "complaint_categories_done": True,
    }
    typed = "pourquoi ils me demandent de rembourser ?"
    history = [
        *reporting("complaint_description", **filled),
        user(typed, "ask_demarche", [("ask_demarche", 0.9)]),
    ]
    events, _ = await validate(history, domain)
    assert events[0] == SlotSet("complaint_description", typed)


@pytest.mark.parametrize(("fiche_id", "asked"), [("N19775", False), (None, True)])
async def test_the_organisation_is_asked_only_when_nothing_tells_it(
    fiche_id: str | None, asked: bool, domain: dict[str, Any]
) -> None:
    """A catalogue fiche tells the administration; people rarely know who issues a form."""
    document = {"label": "RSA", "kind": "form", "fiche_id": fiche_id, "cerfa": None, "organisation": None}
    tracker = tracker_from_history([*reporting("complaint_categories", complaint_document=document)])
    slots = await ValidateComplaintForm().required_slots(list(ORDER), CollectingDispatcher(), tracker, domain)
    assert ("complaint_organisation" in slots) is asked


@pytest.mark.parametrize(
    ("requested", "forgotten"),
    [
        ("complaint_description", ["complaint_categories", "complaint_categories_done", "complaint_notes"]),
        ("complaint_consent", ["complaint_suggestion"]),
        ("complaint_categories", ["complaint_organisation"]),
    ],
)
def test_going_back_in_the_report_forgets_the_previous_answer(
    requested: str, forgotten: list[str], domain: dict[str, Any]
) -> None:
    filled = answered_until(requested)
    history = [
        *reporting(requested, **filled),
        user("revenir à la question d'avant", "go_back", [("go_back", 0.9)]),
    ]
    events, messages = run(ActionComplaintGoBack(), history, domain)
    assert events == [SlotSet(name, None) for name in forgotten]
    assert messages == [utter("utter_going_back")]


async def test_go_back_is_not_taken_for_an_answer(domain: dict[str, Any]) -> None:
    filled = {
        "complaint_document": LETTER,
        "complaint_organisation": "la CAF",
        "complaint_categories": ["jargon"],
    }
    typed = user("revenir à la question d'avant", "go_back", [("go_back", 0.9)])
    assert await validate([*reporting("complaint_categories_done", **filled), typed], domain) == ([], [])


@pytest.mark.parametrize(
    "requested", ["complaint_organisation", "complaint_description", "complaint_suggestion"]
)
async def test_i_dont_know_leaves_an_optional_answer_empty(requested: str, domain: dict[str, Any]) -> None:
    filled = answered_until(requested)
    history = [*reporting(requested, **filled), user("je sais pas", "dont_know", [("dont_know", 0.95)])]
    events, _ = await validate(history, domain)
    assert events[0] == SlotSet(requested, "")


@pytest.mark.parametrize(
    ("requested", "typed", "intent"),
    [
        ("complaint_categories", "trop long", "cancel"),  # the classifier's cancel, 0.72 on the shipped model
        ("complaint_consent", "non", "cancel"),
    ],
)
async def test_an_answer_is_taken_whatever_the_intent(
    requested: str, typed: str, intent: str, domain: dict[str, Any]
) -> None:
    filled = answered_until(requested)
    history = [*reporting(requested, **filled), user(typed, intent, [(intent, 0.72)])]
    events, _ = await validate(history, domain)
    assert events and events[0]["name"] == requested


@pytest.mark.parametrize("requested", ["complaint_description", "complaint_suggestion"])
async def test_a_person_described_in_a_free_answer_is_no_request_for_one(
    requested: str, domain: dict[str, Any]
) -> None:
    typed = "un numero de telephone ou on peut parler a quelqu'un"
    history = [*reporting(requested, **answered_until(requested)), user(typed, "ask_human")]
    assert await validate(history, domain) == ([SlotSet(requested, typed)], [])
    # asked for in the first person, a person is a request the form lets its rule answer
    history = [
        *reporting(requested, **answered_until(requested)),
        user("je veux parler a un conseiller", "ask_human"),
    ]
    assert await validate(history, domain) == ([], [])


@pytest.mark.parametrize("requested", ["complaint_description", "complaint_suggestion"])
async def test_a_difficulty_added_late_is_kept_and_the_question_asked_again(
    requested: str, domain: dict[str, Any]
) -> None:
    # "trop long" often scores as a request to cancel
    history = [
        *reporting(requested, **answered_until(requested)),
        user("ah et aussi c'est trop long", "cancel"),
    ]
    events, messages = await validate(history, domain)
    assert events == [SlotSet("complaint_categories", ["jargon", "too_long"])]
    assert messages == [utter("utter_complaint_category_added")]
