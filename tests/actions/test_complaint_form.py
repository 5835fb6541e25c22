"""The complaint form after the document: organisation, categories, description, consent, contact."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.complaint_form import ValidateComplaintForm
from tests.actions.conftest import tracker_from_history
from tests.actions.forms import FILLED, ID_CARD, LETTER, ORDER, reporting, validate
from tests.actions.history import Event, button, slot, user


async def test_the_organisation_is_read_only_when_asked(domain: dict[str, Any]) -> None:
    history = [
        *reporting("complaint_organisation", complaint_document=LETTER),
        user("la CAF de Lyon", "nlu_fallback"),
    ]
    assert await validate(history, domain) == ([SlotSet("complaint_organisation", "la CAF de Lyon")], [])
    long = "x" * 250
    history = [*reporting("complaint_organisation", complaint_document=LETTER), user(long, "nlu_fallback")]
    assert await validate(history, domain) == ([SlotSet("complaint_organisation", "x" * 200)], [])
    history = [*reporting("complaint_organisation", complaint_document=LETTER), button("/deny")]
    assert await validate(history, domain) == ([], [])


async def test_a_difficulty_said_where_the_sender_is_asked_is_taken_as_such(domain: dict[str, Any]) -> None:
    # "pas clair sur les pièces" names no sender: the sender is skipped and the difficulty kept,
    # so the next question is "Autre chose ?"
    history = [
        *reporting("complaint_organisation", complaint_document=LETTER),
        user("pas clair sur les pieces", "nlu_fallback"),
    ]
    assert await validate(history, domain) == (
        [
            SlotSet("complaint_organisation", ""),
            SlotSet("complaint_categories", ["unclear_documents"]),
            SlotSet("complaint_notes", "pas clair sur les pieces"),
        ],
        [],
    )
    # a sender named with a difficulty is the sender
    history = [
        *reporting("complaint_organisation", complaint_document=LETTER),
        user("la caf, et c'est trop long", "nlu_fallback"),
    ]
    assert await validate(history, domain) == (
        [SlotSet("complaint_organisation", "la caf, et c'est trop long")],
        [],
    )


def category(key: str) -> Event:
    return button('/choose_category{"category":"' + key + '"}')


BEFORE_CATEGORIES = {"complaint_document": LETTER, "complaint_organisation": "la CAF"}


@pytest.mark.parametrize(
    ("requested", "chosen", "message", "filled"),
    [
        ("complaint_categories", [], category("jargon"), {"complaint_categories": ["jargon"]}),
        (
            "complaint_categories_done",
            ["jargon"],
            category("too_long"),
            {"complaint_categories": ["jargon", "too_long"]},
        ),
        ("complaint_categories_done", ["jargon"], category("jargon"), {"complaint_categories": ["jargon"]}),
        ("complaint_categories_done", ["jargon"], category("done"), {"complaint_categories_done": True}),
        ("complaint_categories", [], category("done"), {}),  # nothing chosen yet: "done" means nothing
        ("complaint_categories", [], category("unknown"), {}),
        (  # typed: the words name the difficulty; "Autre chose ?" comes next; the words are kept
            "complaint_categories",
            [],
            user("c'est écrit trop petit", "nlu_fallback"),
            {"complaint_categories": ["hard_to_fill"], "complaint_notes": "c'est écrit trop petit"},
        ),
        (
            "complaint_categories",
            [],
            user("c'est trop long et y a des mots que je comprends pas", "nlu_fallback"),
            {
                "complaint_categories": ["jargon", "too_long"],
                "complaint_notes": "c'est trop long et y a des mots que je comprends pas",
            },
        ),
        (  # contradictory information, said in plain words
            "complaint_categories",
            [],
            user("ils disent 2 choses contraires", "nlu_fallback"),
            {"complaint_categories": ["missing_info"], "complaint_notes": "ils disent 2 choses contraires"},
        ),
        (  # nothing recognised: "other"
            "complaint_categories",
            [],
            user("bof", "nlu_fallback"),
            {"complaint_categories": ["other"], "complaint_notes": "bof"},
        ),
        (
            "complaint_categories_done",
            ["jargon"],
            user("c'est tout", "nlu_fallback"),
            {"complaint_categories_done": True},
        ),
        ("complaint_categories_done", ["jargon"], user("non", "deny"), {"complaint_categories_done": True}),
        (  # something else typed after a choice: "other", and the list is closed
            "complaint_categories_done",
            ["other"],
            user("trop petit", "nlu_fallback"),
            {
                "complaint_categories": ["other"],
                "complaint_categories_done": True,
                "complaint_notes": "trop petit",
            },
        ),
    ],
)
async def test_categories(
    requested: str, chosen: list[str], message: Event, filled: dict[str, Any], domain: dict[str, Any]
) -> None:
    earlier = {**BEFORE_CATEGORIES, "complaint_categories": chosen} if chosen else BEFORE_CATEGORIES
    history = [*reporting(requested, **earlier), message]
    assert await validate(history, domain) == ([SlotSet(k, v) for k, v in filled.items()], [])


@pytest.mark.parametrize(
    ("requested", "message", "filled"),
    [
        ("complaint_description", user("la page 2", "nlu_fallback"), {"complaint_description": "la page 2"}),
        ("complaint_description", button("/deny"), {}),
        ("complaint_suggestion", user("non", "deny"), {"complaint_suggestion": ""}),
        (
            "complaint_suggestion",
            user("des phrases courtes", "nlu_fallback"),
            {"complaint_suggestion": "des phrases courtes"},
        ),
        ("complaint_suggestion", button("/affirm"), {}),
        ("complaint_consent", button("/affirm"), {"complaint_consent": True}),
        # Unclear: the slot is set empty so that the form asks again rather than leaving.
        ("complaint_consent", user("peut-être", "nlu_fallback"), {"complaint_consent": None}),
        ("complaint_consent", user("ouais allez-y", "nlu_fallback"), {"complaint_consent": True}),
        (
            "complaint_consent",
            user("oui appelez moi au 07 12 34 56 78", "affirm"),
            {"complaint_consent": True, "complaint_contact": "oui appelez moi au 07 12 34 56 78"},
        ),
    ],
)
async def test_description_suggestion_consent(
    requested: str, message: Event, filled: dict[str, Any], domain: dict[str, Any]
) -> None:
    earlier = {k: v for k, v in FILLED.items() if ORDER.index(k) < ORDER.index(requested)}
    history = [*reporting(requested, **earlier), message]
    assert await validate(history, domain) == ([SlotSet(k, v) for k, v in filled.items()], [])


async def test_no_consent_ends_the_form_without_asking_a_contact(domain: dict[str, Any]) -> None:
    history = [*reporting("complaint_consent", **FILLED), user("non", "deny")]
    events, _ = await validate(history, domain)
    assert events == [SlotSet("complaint_consent", False), SlotSet("requested_slot", None)]


async def test_consent_with_a_known_organisation_asks_the_contact_next(domain: dict[str, Any]) -> None:
    filled = {**FILLED, "complaint_document": ID_CARD}
    del filled["complaint_organisation"]  # never asked: the fiche names it
    history = [*reporting("complaint_consent", **filled), user("oui", "affirm")]
    events, _ = await validate(history, domain)
    assert events == [SlotSet("complaint_consent", True), SlotSet("requested_slot", "complaint_contact")]


async def test_the_contact(domain: dict[str, Any]) -> None:
    earlier = {**FILLED, "complaint_consent": True}
    history = [*reporting("complaint_contact", **earlier), user("marie@example.org", "nlu_fallback")]
    assert await validate(history, domain) == ([SlotSet("complaint_contact", "marie@example.org")], [])
    history = [*reporting("complaint_contact", **earlier), user("0" * 400, "nlu_fallback")]
    assert await validate(history, domain) == ([SlotSet("complaint_contact", "0" * 300)], [])


@pytest.mark.parametrize(
    ("document", "consent", "removed"),
    [
        (LETTER, None, []),
        (ID_CARD, None, ["complaint_organisation"]),
        (LETTER, False, ["complaint_contact"]),
        (LETTER, True, []),
        (ID_CARD, False, ["complaint_organisation", "complaint_contact"]),
    ],
)
async def test_required_slots_skip_what_is_known(
    document: dict[str, Any], consent: bool | None, removed: list[str], domain: dict[str, Any]
) -> None:
    history = [
        *reporting("complaint_consent", complaint_document=document),
        slot("complaint_consent", consent),
    ]
    tracker = tracker_from_history(history)
    slots = await ValidateComplaintForm().required_slots(list(ORDER), CollectingDispatcher(), tracker, domain)
    assert slots == [s for s in ORDER if s not in removed]
