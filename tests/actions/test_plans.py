"""ActionPlanNext and ActionPlanDetails: the plan's pages and one step's details."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.plans import ActionPlanDetails, ActionPlanNext, ActionPlanRelated, item_number
from tests.actions.expect import NEXT, plan_entry, plan_view, related, situation_ref, utter
from tests.actions.fiches import LEAVING_HOME, WORK_IN_ADMINISTRATION_RELATED
from tests.actions.history import Event, bot, button, run, session, slot, turn, user

# the one step of F34635 whose fiche gives a delay; without a move date it is said in words
DEADLINES = {"F12118": "dans le mois qui suit votre déménagement"}
PLAN = [plan_entry(fid, DEADLINES.get(fid)) for fid in LEAVING_HOME]  # 36 steps: pages of 15, 15 and 6


def showing(page: float | None, sid: str = "F34635", **slots: Any) -> list[Event]:
    """A conversation whose plan was shown, `page` the last page the person saw."""
    state = [slot("situations", [sid]), *(slot(k, v) for k, v in slots.items())]
    shown = [slot("plan", PLAN), slot("plan_page", page)] if page is not None else []
    first = turn(
        user("je quitte le domicile de mes parents", f"situation_{sid}"),
        "action_situation",
        *state,
        *shown,
        bot(custom={"type": "plan"}),
    )
    return [*session(), *first]


def page_view(page: int, page_items: list[int], buttons: Any) -> dict[str, Any]:
    return {
        "situations": [situation_ref("F34635")],
        "event_date": None,
        "items": [(i, fid, DEADLINES.get(fid)) for i, fid in enumerate(LEAVING_HOME, start=1)],
        "urgent": [],
        "page": page,
        "pages": 3,
        "page_size": 15,
        "page_items": page_items,
        "buttons": buttons,
    }


def test_next_page(domain: dict[str, Any]) -> None:
    events, messages = run(ActionPlanNext(), [*showing(1.0), user("la suite", "plan_next")], domain)
    assert events == [SlotSet("plan", PLAN), SlotSet("related", RELATED), SlotSet("plan_page", 2.0)]
    assert len(messages) == 1
    assert plan_view(messages[0]) == page_view(
        2, list(range(16, 31)), [{"title": NEXT, "payload": "/plan_next"}]
    )


def test_the_last_page_has_no_next_button(domain: dict[str, Any]) -> None:
    events, messages = run(ActionPlanNext(), [*showing(2.0), button("/plan_next")], domain)
    assert events == [SlotSet("plan", PLAN), SlotSet("related", RELATED), SlotSet("plan_page", 3.0)]
    # the last page offers the references instead of a next page
    assert len(messages) == 1 and plan_view(messages[0]) == page_view(
        3, list(range(31, 37)), [RELATED_BUTTON]
    )


RELATED = [
    {"fiche_id": fid, "title": plan_entry(fid)["title"], "url": plan_entry(fid)["url"], "group": group}
    for fid, group in (
        ("F12214", "Type de logement"),
        ("F31290", "Type de logement"),
        ("R54341", "Type de logement"),
        ("F31270", "Type de logement"),
        ("F33453", "Type de logement"),
        ("F31697", "Chauffage, eau, électricité et internet"),
        ("N11240", "Aide au logement (APL, ALS, ALF)"),
        ("F33173", "Aide au logement (APL, ALS, ALF)"),
        ("F88", "Impôts"),
        ("F369", "Impôts"),
        ("F675", "Santé"),
    )
]  # the references of F34635 ("pour en savoir plus"), in its order
RELATED_BUTTON = {"title": "Pour en savoir plus", "payload": "/plan_related"}


def test_the_references_on_request(domain: dict[str, Any]) -> None:
    history = [*showing(1.0, "F1700"), user("pour en savoir plus", "plan_related")]
    events, messages = run(ActionPlanRelated(), history, domain)
    assert events == []
    assert [m["custom"] for m in messages] == [
        {"type": "plan_related", "items": related(WORK_IN_ADMINISTRATION_RELATED)}
    ]


def test_the_references_wait_for_a_pending_question(domain: dict[str, Any]) -> None:
    history = [*showing(None, "F14128", pending_question="F14128-q1"), button("/plan_related")]
    _, messages = run(ActionPlanRelated(), history, domain)
    # no plan yet: the question is asked again, nothing else
    assert [(m["response"], m.get("question_text")) for m in messages] == [
        ("utter_answer_not_understood", None),
        ("utter_ask_question", "Le logement que vous quittez, vous le louez ou il vous appartient ?"),
    ]


def test_after_the_last_page(domain: dict[str, Any]) -> None:
    history = [*showing(3.0), user("la suite", "plan_next")]
    assert run(ActionPlanNext(), history, domain) == ([], [utter("utter_plan_end")])


def test_a_plan_page_never_stored_counts_as_the_first(domain: dict[str, Any]) -> None:
    events, messages = run(ActionPlanNext(), [*showing(None), user("la suite", "plan_next")], domain)
    assert events == [SlotSet("plan", PLAN), SlotSet("related", RELATED), SlotSet("plan_page", 2.0)]
    assert plan_view(messages[0])["page_items"] == list(range(16, 31))


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
        "fiche_id": "R16390",
        "title": "Téléservice : Mes services étudiant",
        "explanation": "Permet de : - Payer la contribution vie étudiante et de campus (CVEC) via le site "
        "cvec.etudiant.gouv.fr - Demander une bourse ou une aide - Trouver et gérer son logement "
        "universitaire",
        "context": "Mes services étudiant",  # the text that links to the fiche
        "chapter": "Type de logement",
        "group": "Type de logement",
        "url": "https://www.service-public.fr/particuliers/vosdroits/R16390",
        "deadline": None,
        "deadline_phrase": None,
        "due_date": None,
        "overdue": False,
        "situation_id": "F34635",
    }
    assert events == []
    assert [m["custom"] for m in messages] == [{"type": "plan_item", "item": item}]


@pytest.mark.parametrize(
    ("text", "fiche_id"), [("la troisième", "F18490"), ("et la 14e ?", "F869"), ("le premier", "F31912")]
)
def test_details_by_number_or_ordinal(text: str, fiche_id: str, domain: dict[str, Any]) -> None:
    _, messages = run(ActionPlanDetails(), [*showing(1.0), user(text, "plan_details")], domain)
    assert [(m["custom"]["type"], m["custom"]["item"]["fiche_id"]) for m in messages] == [
        ("plan_item", fiche_id)
    ]


@pytest.mark.parametrize(
    "message",
    [
        user("détails de la 37", "plan_details"),
        user("la 0", "plan_details"),
        user("et celle-là ?", "plan_details"),
        button("/plan_details"),
    ],
)
def test_details_of_an_unknown_step(message: Event, domain: dict[str, Any]) -> None:
    history = [*showing(1.0), message]
    assert run(ActionPlanDetails(), history, domain) == ([], [utter("utter_plan_item_unknown", count=36)])


def test_details_with_an_article_before_the_ordinal(domain: dict[str, Any]) -> None:
    """ "une" is an article here, not the number one: the person asks about the second step."""
    history = [*showing(1.0), user("je voudrais une explication sur la deuxième", "plan_details")]
    _, messages = run(ActionPlanDetails(), history, domain)
    assert [m["custom"]["item"]["fiche_id"] for m in messages] == ["R16390"]


DEATH_SKIPPED = ["F16507-rel", "F16507-q1", "F16507-q2", "F16507-q3", "F16507-q4"]


def dated_step(domain: dict[str, Any], monkeypatch: pytest.MonkeyPatch, today: date) -> dict[str, Any]:
    """Step 1 of a death on 10 March 2025 (F16507, every question skipped), seen on `today`."""
    monkeypatch.setattr("actions.plans.today", lambda: today)
    history = [
        *showing(1.0, "F16507", skipped_questions=DEATH_SKIPPED, event_date="2025-03-10"),
        user("détails de la 1", "plan_details"),
    ]
    _, messages = run(ActionPlanDetails(), history, domain)
    item: dict[str, Any] = messages[0]["custom"]["item"]
    return item


def test_a_dated_step_has_its_due_date(domain: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    # step 1 is the first fiche of "Dans les 24 heures" shown whatever the answers (the wishes to
    # check: "le don du corps à la science", F180), due the day after the death.
    item = dated_step(domain, monkeypatch, date(2025, 3, 10))
    assert (
        item["fiche_id"],
        item["deadline"],
        item["deadline_phrase"],
        item["due_date"],
        item["overdue"],
    ) == (
        "F180",
        "avant le 11 mars 2025",
        "Dans les 24 heures",
        "2025-03-11",
        False,
    )


def test_a_step_whose_delay_has_passed_is_said_overdue(
    domain: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    item = dated_step(domain, monkeypatch, date(2025, 3, 20))
    assert (item["deadline"], item["due_date"], item["overdue"]) == (
        "à faire dès que possible, le délai était le 11 mars 2025",
        "2025-03-11",
        True,
    )


def test_an_unreadable_event_date_is_ignored(domain: dict[str, Any]) -> None:
    history = [
        *showing(1.0, "F16507", skipped_questions=DEATH_SKIPPED, event_date="hier"),
        user("détails de la 1", "plan_details"),
    ]
    _, messages = run(ActionPlanDetails(), history, domain)
    item = messages[0]["custom"]["item"]
    assert (item["fiche_id"], item["deadline"], item["due_date"]) == ("F180", "Dans les 24 heures", None)


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
