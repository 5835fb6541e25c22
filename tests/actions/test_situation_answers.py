"""ActionSituation while a question is pending: answers typed or from buttons, skips, corrections."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet

from actions.situations import ActionSituation
from tests.actions.expect import (
    NEXT,
    asked,
    lead,
    plan_entry,
    plan_view,
    related,
    situation_ref,
    summary,
    utter,
)
from tests.actions.fiches import MOVING_DEADLINES, MOVING_OWNER, MOVING_RELATED, MOVING_TENANT
from tests.actions.history import Event, answer_button, bot, button, fallback, run, session, slot, turn, user

Q1, Q2, Q3, Q4 = "F14128-q1", "F14128-q2", "F14128-q3", "F14128-q4"


def asking(
    pending: str, answers: dict[str, str] | None = None, skipped: list[str] | None = None, sid: str = "F14128"
) -> list[Event]:
    """A conversation about one situation whose last turn asked `pending`."""
    started = turn(
        user("je déménage", "situation_F14128"),
        "action_situation",
        slot("situations", [sid]),
        bot("utter_situation_recognised"),
        bot("utter_question_intro"),
    )
    state = [
        slot("answers", answers or {}),
        slot("skipped_questions", skipped or []),
        slot("pending_question", pending),
    ]
    latest = turn(user("…", "answer"), "action_situation", *state, bot("utter_ask_question"))
    return [*session(), *started, *latest]


def run_situation(history: list[Any], domain: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    return run(ActionSituation(), history, domain)


def test_a_button_answer_moves_to_the_next_question(domain: dict[str, Any]) -> None:
    events, messages = run_situation([*asking(Q1), answer_button("F14128-q1-c1")], domain)
    assert events == [
        SlotSet("answers", {Q1: "F14128-q1-c1"}),
        SlotSet("pending_question", Q2),
        SlotSet("open_questions", [Q2, Q3, Q4]),
        summary(["F14128"], [Q2, Q3, Q4], answers=["F14128-q1-c1"]),
    ]
    assert messages == [asked(Q2)]


def test_the_last_typed_answer_shows_the_tenant_plan(domain: dict[str, Any]) -> None:
    answers = {Q1: "F14128-q1-c1", Q2: "F14128-q2-c1", Q3: "F14128-q3-c1"}
    events, messages = run_situation([*asking(Q4, answers), user("je suis salarié", "answer")], domain)
    choices = [*answers.values(), "F14128-q4-c1"]
    assert events == [
        SlotSet("answers", {**answers, Q4: "F14128-q4-c1"}),
        SlotSet("pending_question", None),
        SlotSet("open_questions", []),
        summary(["F14128"], [], answers=choices),
        SlotSet("plan", [plan_entry(fid, MOVING_DEADLINES.get(fid)) for fid in MOVING_TENANT]),
        SlotSet("related", related(MOVING_RELATED)),
        SlotSet("plan_page", 1.0),
    ]
    assert len(messages) == 1
    assert plan_view(messages[0]) == {
        "situations": [situation_ref("F14128")],
        "event_date": None,
        "items": [(i, fid, MOVING_DEADLINES.get(fid)) for i, fid in enumerate(MOVING_TENANT, start=1)],
        "urgent": [],
        "page": 1,
        "pages": 3,  # 33 steps, 15 a page
        "page_size": 15,
        "page_items": list(range(1, 16)),
        "buttons": [{"title": NEXT, "payload": "/plan_next"}],
    }


def test_the_owner_gets_the_owner_plan(domain: dict[str, Any]) -> None:
    answers = {Q1: "F14128-q1-c2", Q2: "F14128-q2-c1", Q3: "F14128-q3-c1"}
    events, _ = run_situation([*asking(Q4, answers), answer_button("F14128-q4-c1")], domain)
    assert events[-3:] == [
        SlotSet("plan", [plan_entry(fid, MOVING_DEADLINES.get(fid)) for fid in MOVING_OWNER]),
        SlotSet("related", related(MOVING_RELATED)),
        SlotSet("plan_page", 1.0),
    ]


def test_a_typed_correction_is_acknowledged(domain: dict[str, Any]) -> None:
    history = [*asking(Q2, {Q1: "F14128-q1-c1"}), user("en fait je suis propriétaire", "answer")]
    events, messages = run_situation(history, domain)
    assert events == [
        SlotSet("answers", {Q1: "F14128-q1-c2"}),
        SlotSet("open_questions", [Q2, Q3, Q4]),
        summary(["F14128"], [Q2, Q3, Q4], answers=["F14128-q1-c2"]),
    ]
    assert messages == [utter("utter_answer_updated", answer_phrase="Vous êtes propriétaire"), asked(Q2)]


def test_an_unclear_answer_is_asked_again(domain: dict[str, Any]) -> None:
    history = [*asking(Q1), fallback("euh je sais pas trop", [("greet", 0.2), ("answer", 0.18)])]
    events, messages = run_situation(history, domain)
    assert events == [SlotSet("open_questions", [Q1, Q2, Q3, Q4]), summary(["F14128"], [Q1, Q2, Q3, Q4])]
    assert messages == [utter("utter_answer_not_understood"), asked(Q1)]


def test_dont_know_skips_the_question(domain: dict[str, Any]) -> None:
    events, messages = run_situation([*asking(Q1), answer_button("F14128-q1-skip")], domain)
    assert events == [
        SlotSet("skipped_questions", [Q1]),
        SlotSet("pending_question", Q2),
        SlotSet("open_questions", [Q2, Q3, Q4]),
        summary(["F14128"], [Q2, Q3, Q4], skipped=[Q1]),
    ]
    assert messages == [asked(Q2)]


def test_a_skipped_question_answered_later_is_no_longer_skipped(domain: dict[str, Any]) -> None:
    history = [*asking(Q3, {Q1: "F14128-q1-c1"}, [Q2]), user("nous sommes français", "answer")]
    events, messages = run_situation(history, domain)
    assert events == [
        SlotSet("answers", {Q1: "F14128-q1-c1", Q2: "F14128-q2-c1"}),
        SlotSet("skipped_questions", []),
        SlotSet("open_questions", [Q3, Q4]),
        summary(["F14128"], [Q3, Q4], answers=["F14128-q1-c1", "F14128-q2-c1"]),
    ]
    assert messages == [asked(Q3)]  # the fiche's help is part of the question as the bot asks it
    assert messages[0]["question_text"] == "Avez-vous des enfants à charge qui déménagent avec vous ?"


def test_reset_after_the_plan_asks_the_question_again(domain: dict[str, Any]) -> None:
    answers = {Q1: "F14128-q1-c1", Q2: "F14128-q2-c1", Q3: "F14128-q3-c1", Q4: "F14128-q4-c1"}
    history = [*asking(Q4, answers), slot("pending_question", None), answer_button("F14128-q1-reset")]
    events, messages = run_situation(history, domain)
    kept = {q: c for q, c in answers.items() if q != Q1}
    assert events == [
        SlotSet("answers", kept),
        SlotSet("pending_question", Q1),
        SlotSet("open_questions", [Q1]),
        summary(["F14128"], [Q1], answers=list(kept.values())),
    ]
    assert messages == [asked(Q1, lead(count=1))]


def test_reset_of_a_skipped_question_asks_it_again(domain: dict[str, Any]) -> None:
    history = [*asking(Q3, {Q1: "F14128-q1-c1"}, [Q2]), answer_button("F14128-q2-reset")]
    events, messages = run_situation(history, domain)
    assert events == [
        SlotSet("skipped_questions", []),
        SlotSet("pending_question", Q2),
        SlotSet("open_questions", [Q2, Q3, Q4]),
        summary(["F14128"], [Q2, Q3, Q4], answers=["F14128-q1-c1"]),
    ]
    assert messages == [asked(Q2)]


def test_a_bare_no_answers_a_yes_no_question(domain: dict[str, Any]) -> None:
    events, messages = run_situation([*asking("F16225-q1", sid="F16225"), user("non", "deny")], domain)
    assert events == [
        SlotSet("answers", {"F16225-q1": "F16225-q1-c2"}),
        SlotSet("pending_question", "F16225-q2"),
        SlotSet("open_questions", ["F16225-q2", "F16225-q3"]),
        summary(["F16225"], ["F16225-q2", "F16225-q3"], answers=["F16225-q1-c2"]),
    ]
    assert messages == [asked("F16225-q2")]


def test_a_yes_button_answers_a_yes_no_question(domain: dict[str, Any]) -> None:
    events, _ = run_situation([*asking("F16225-q1", sid="F16225"), button("/affirm")], domain)
    assert events[0] == SlotSet("answers", {"F16225-q1": "F16225-q1-c1"})


def test_an_answer_worded_like_a_situation_does_not_add_it(domain: dict[str, Any]) -> None:
    history = [*asking(Q4, {Q1: "F14128-q1-c1"}), user("je suis demandeur d'emploi", "situation_F17556")]
    events, _ = run_situation(history, domain)
    assert events == [
        SlotSet("answers", {Q1: "F14128-q1-c1", Q4: "F14128-q4-c3"}),
        SlotSet("pending_question", Q2),
        SlotSet("open_questions", [Q2, Q3]),
        summary(["F14128"], [Q2, Q3], answers=["F14128-q1-c1", "F14128-q4-c3"]),
    ]


def test_a_new_situation_while_a_question_is_pending(domain: dict[str, Any]) -> None:
    history = [*asking(Q2, {Q1: "F14128-q1-c1"}), user("on attend aussi un bébé", "situation_F16225")]
    events, messages = run_situation(history, domain)
    questions = [Q2, Q3, Q4, "F16225-q2", "F16225-q3"]
    assert events == [
        SlotSet("situations", ["F14128", "F16225"]),
        SlotSet("open_questions", questions),
        summary(["F14128", "F16225"], questions, answers=["F14128-q1-c1"]),
    ]
    assert messages == [asked(Q2, lead("F16225"))]


def test_a_choice_of_another_situation_or_an_unknown_choice_is_ignored(domain: dict[str, Any]) -> None:
    for choice_id in ("F16225-q1-c1", "F14128-q1-c9"):  # a stale button; a forged payload
        events, messages = run_situation([*asking(Q1), answer_button(choice_id)], domain)
        assert events == [SlotSet("open_questions", [Q1, Q2, Q3, Q4]), summary(["F14128"], [Q1, Q2, Q3, Q4])]
        assert messages == [utter("utter_answer_not_understood"), asked(Q1)]


def test_the_skip_button_is_left_out_when_the_domain_has_no_wording(domain: dict[str, Any]) -> None:
    del domain["responses"]["utter_dont_know"]
    _, messages = run_situation([*asking(Q1), answer_button("F14128-q1-c1")], domain)
    assert messages == [
        utter("utter_ask_question", asked(Q2)["buttons"][:-1], question_text="Quelle est votre nationalité ?")
    ]


def test_a_question_without_a_wording_is_asked_with_the_fiche_label_and_help(domain: dict[str, Any]) -> None:
    del domain["responses"]["utter_question_F14128_q3"]
    _, messages = run_situation([*asking(Q2, {Q1: "F14128-q1-c1"}), answer_button("F14128-q2-c1")], domain)
    assert (
        messages[0]["question_text"]
        == "Avez-vous des enfants à charge ? (Enfants qui déménageront avec vous)"
    )
