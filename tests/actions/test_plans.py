"""ActionPlanNext and ActionPlanDetails: the plan's pages and one step's details."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.plans import ActionPlanDetails, ActionPlanNext, item_number
from tests.actions.expect import NEXT, plan_entry, plan_view, situation_ref, utter
from tests.actions.fiches import WORK_IN_ADMINISTRATION
from tests.actions.history import Event, bot, button, run, session, slot, turn, user

PLAN = [plan_entry(fid) for fid in WORK_IN_ADMINISTRATION]  # 14 steps: pages of 5, 5 and 4


def showing(page: float | None, sid: str = "F1700", **slots: Any) -> list[Event]:
    """A conversation whose plan was shown, `page` the last page the person saw."""
    state = [slot("situations", [sid]), *(slot(k, v) for k, v in slots.items())]
    shown = [slot("plan", PLAN), slot("plan_page", page)] if page is not None else []
    first = turn(
        user("je veux devenir fonctionnaire", f"situation_{sid}"),
        "action_situation",
        *state,
        *shown,
        bot(custom={"type": "plan"}),
    )
    return [*session(), *first]


def page_view(page: int, page_items: list[int], buttons: Any) -> dict[str, Any]:
    return {
        "situations": [situation_ref("F1700")],
        "event_date": None,
        "items": [(i, fid, None) for i, fid in enumerate(WORK_IN_ADMINISTRATION, start=1)],
        "urgent": [],
        "page": page,
        "pages": 3,
        "page_size": 5,
        "page_items": page_items,
        "buttons": buttons,
    }


def test_next_page(domain: dict[str, Any]) -> None:
    events, messages = run(ActionPlanNext(), [*showing(1.0), user("la suite", "plan_next")], domain)
    assert events == [SlotSet("plan", PLAN), SlotSet("plan_page", 2.0)]
    assert len(messages) == 1
    assert plan_view(messages[0]) == page_view(
        2, [6, 7, 8, 9, 10], [{"title": NEXT, "payload": "/plan_next"}]
    )


def test_the_last_page_has_no_next_button(domain: dict[str, Any]) -> None:
    events, messages = run(ActionPlanNext(), [*showing(2.0), button("/plan_next")], domain)
    assert events == [SlotSet("plan", PLAN), SlotSet("plan_page", 3.0)]
    assert len(messages) == 1 and plan_view(messages[0]) == page_view(3, [11, 12, 13, 14], None)


def test_after_the_last_page(domain: dict[str, Any]) -> None:
    history = [*showing(3.0), user("la suite", "plan_next")]
    assert run(ActionPlanNext(), history, domain) == ([], [utter("utter_plan_end")])


def test_a_plan_page_never_stored_counts_as_the_first(domain: dict[str, Any]) -> None:
    events, messages = run(ActionPlanNext(), [*showing(None), user("la suite", "plan_next")], domain)
    assert events == [SlotSet("plan", PLAN), SlotSet("plan_page", 2.0)]
    assert plan_view(messages[0])["page_items"] == [6, 7, 8, 9, 10]


@pytest.mark.parametrize("action", [ActionPlanNext(), ActionPlanDetails()])
def test_no_plan_before_a_situation(action: Any, domain: dict[str, Any]) -> None:
    history = [*session(), user("plus de détails sur la 2", "plan_details")]
    assert run(action, history, domain) == ([], [utter("utter_no_plan")])


def test_details_of_a_step(domain: dict[str, Any]) -> None:
    events, messages = run(
        ActionPlanDetails(), [*showing(1.0), user("plus de détails sur la 2", "plan_details")], domain
    )
    item = {
        "index": 2,
        "fiche_id": "F12219",
        "title": "Un étranger peut-il travailler dans la fonction publique française ?",
        "explanation": "Un étranger peut travailler dans la fonction publique française.",  # 1st sentence
        "context": (  # the text that links to the fiche
            "À savoir : un étranger peut avoir accès à un emploi dans l'administration dans certains cas."
        ),
        "chapter": "Je me renseigne sur les différentes fonctions publiques, métiers, modes d'accès",
        "url": "https://www.service-public.fr/particuliers/vosdroits/F12219",
        "deadline": None,
        "deadline_phrase": None,
        "due_date": None,
        "situation_id": "F1700",
    }
    assert events == []
    assert [m["custom"] for m in messages] == [{"type": "plan_item", "item": item}]


@pytest.mark.parametrize(
    ("text", "fiche_id"), [("la troisième", "F434"), ("et la 14e ?", "F2304"), ("le premier", "F13272")]
)
def test_details_by_number_or_ordinal(text: str, fiche_id: str, domain: dict[str, Any]) -> None:
    _, messages = run(ActionPlanDetails(), [*showing(1.0), user(text, "plan_details")], domain)
    assert [(m["custom"]["type"], m["custom"]["item"]["fiche_id"]) for m in messages] == [
        ("plan_item", fiche_id)
    ]


@pytest.mark.parametrize(
    "message",
    [
        user("détails de la 15", "plan_details"),
        user("la 0", "plan_details"),
        user("et celle-là ?", "plan_details"),
        button("/plan_details"),
    ],
)
def test_details_of_an_unknown_step(message: Event, domain: dict[str, Any]) -> None:
    history = [*showing(1.0), message]
    assert run(ActionPlanDetails(), history, domain) == ([], [utter("utter_plan_item_unknown", count=14)])


def test_details_with_an_article_before_the_ordinal(domain: dict[str, Any]) -> None:
    """ "une" is an article here, not the number one: the person asks about the second step."""
    history = [*showing(1.0), user("je voudrais une explication sur la deuxième", "plan_details")]
    _, messages = run(ActionPlanDetails(), history, domain)
    assert [m["custom"]["item"]["fiche_id"] for m in messages] == ["F12219"]


DEATH_SKIPPED = ["F16507-q1", "F16507-q2", "F16507-q3", "F16507-q4"]


def test_a_dated_step_has_its_due_date(domain: dict[str, Any]) -> None:
    # F16507, every question skipped: step 1 is the first fiche of "Dans les 24 heures" shown
    # whatever the answers (Crémation, F1558), due the day after the death.
    history = [
        *showing(1.0, "F16507", skipped_questions=DEATH_SKIPPED, event_date="2025-03-10"),
        user("détails de la 1", "plan_details"),
    ]
    _, messages = run(ActionPlanDetails(), history, domain)
    item = messages[0]["custom"]["item"]
    assert (item["fiche_id"], item["deadline"], item["deadline_phrase"], item["due_date"]) == (
        "F1558",
        "avant le 11 mars 2025",
        "Dans les 24 heures",
        "2025-03-11",
    )


def test_an_unreadable_event_date_is_ignored(domain: dict[str, Any]) -> None:
    history = [
        *showing(1.0, "F16507", skipped_questions=DEATH_SKIPPED, event_date="hier"),
        user("détails de la 1", "plan_details"),
    ]
    _, messages = run(ActionPlanDetails(), history, domain)
    item = messages[0]["custom"]["item"]
    assert (item["fiche_id"], item["deadline"], item["due_date"]) == ("F1558", "Dans les 24 heures", None)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("plus de détails sur la 3", 3),
        ("detail 12", 12),
        ("la troisième", 3),
        ("la 1ère", 1),
        ("le 2e", 2),
        ("la douzième", 12),
        ("la vingt-et-unième", 21),
        ("cerfa 12100", None),
        ("et celle-là", None),
    ],
)
def test_item_number(text: str, number: int | None) -> None:
    assert item_number(text) == number
