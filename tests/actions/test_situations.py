"""The situation dialogue, driven by the fiches' questionnaires: events and messages asserted."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.situations import ActionChangeAnswers, ActionClarify, ActionSituation
from tests.actions.conftest import choice, make_tracker


def run_situation(tracker: Any, domain: dict[str, Any]) -> tuple[list[Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = ActionSituation().run(dispatcher, tracker, domain)
    return events, dispatcher.messages


def plan_ids(messages: list[dict[str, Any]]) -> set[str]:
    plans = [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "plan"]
    assert len(plans) == 1
    return {item["fiche_id"] for item in plans[0]["items"]}


def test_first_message_skips_what_was_already_said(domain: dict[str, Any]) -> None:
    tracker = make_tracker("je déménage, je suis propriétaire et retraité", "situation_F14128")
    events, messages = run_situation(tracker, domain)
    summary = {
        "situations": [{"id": "F14128", "title": "Je déménage"}],
        "answers": [
            {
                "question_id": "F14128-q1",
                "question": "Situation avant le déménagement",
                "answer": "Vous êtes propriétaire",
            },
            {
                "question_id": "F14128-q4",
                "question": "Situation professionnelle",
                "answer": "Vous êtes retraité",
            },
        ],
        "skipped_questions": [],
        "event_date": None,
        "open_questions": [
            {"id": "F14128-q2", "text": "Nationalité"},
            {"id": "F14128-q3", "text": "Avez-vous des enfants à charge ?"},
        ],
    }
    assert events == [
        SlotSet("situations", ["F14128"]),
        SlotSet("answers", {"F14128-q1": "F14128-q1-c2", "F14128-q4": "F14128-q4-c4"}),
        SlotSet("pending_question", "F14128-q2"),
        SlotSet("open_questions", ["F14128-q2", "F14128-q3"]),
        SlotSet("summary", summary),
    ]
    assert [m["response"] for m in messages] == [
        "utter_situation_recognised",
        "utter_question_intro",
        "utter_ask_question",
    ]
    assert messages[0]["situation_title"] == "Je déménage"
    assert messages[1]["count"] == 2
    question = messages[2]
    assert question["question_text"] == "Nationalité"
    assert [b["title"] for b in question["buttons"]] == [
        "Français",
        "Européen (UE)",
        "Étranger (autre pays)",
        "Je ne sais pas",
    ]
    assert question["buttons"][0]["payload"] == '/answer{"choice_id":"F14128-q2-c1"}'


def test_button_answer_moves_to_the_next_question(domain: dict[str, Any]) -> None:
    slots = {"situations": ["F14128"], "answers": {}, "pending_question": "F14128-q1"}
    tracker = make_tracker('/answer{"choice_id":"F14128-q1-c1"}', "answer", slots, choice("F14128-q1-c1"))
    events, messages = run_situation(tracker, domain)
    assert events[:3] == [
        SlotSet("answers", {"F14128-q1": "F14128-q1-c1"}),
        SlotSet("pending_question", "F14128-q2"),
        SlotSet("open_questions", ["F14128-q2", "F14128-q3", "F14128-q4"]),
    ]
    assert events[3]["name"] == "summary" and len(events) == 4
    assert events[3]["value"]["answers"][0]["answer"] == "Vous êtes locataire"
    assert [m["response"] for m in messages] == ["utter_ask_question"]


def answered(housing: str) -> dict[str, Any]:
    return {
        "situations": ["F14128"],
        "answers": {"F14128-q1": housing, "F14128-q2": "F14128-q2-c1", "F14128-q3": "F14128-q3-c1"},
        "pending_question": "F14128-q4",
    }


def test_tenant_plan_follows_the_fiche_rules(domain: dict[str, Any]) -> None:
    tracker = make_tracker("je suis salarié", "answer", answered("F14128-q1-c1"))
    events, messages = run_situation(tracker, domain)
    ids = plan_ids(messages)
    assert "F1168" in ids and "F2604" not in ids  # préavis du locataire, not the copropriété
    assert SlotSet("pending_question", None) in events
    plan_slot = next(e for e in events if e["name"] == "plan")["value"]
    assert {p["fiche_id"] for p in plan_slot} == ids


def test_owner_plan_is_the_reverse(domain: dict[str, Any]) -> None:
    tracker = make_tracker("je suis salarié", "answer", answered("F14128-q1-c2"))
    _, messages = run_situation(tracker, domain)
    ids = plan_ids(messages)
    assert "F2604" in ids and "F1168" not in ids


def test_typed_correction_is_acknowledged(domain: dict[str, Any]) -> None:
    slots = {
        "situations": ["F14128"],
        "answers": {"F14128-q1": "F14128-q1-c1"},
        "pending_question": "F14128-q2",
    }
    tracker = make_tracker("en fait je suis propriétaire", "answer", slots)
    events, messages = run_situation(tracker, domain)
    assert SlotSet("answers", {"F14128-q1": "F14128-q1-c2"}) in events
    assert messages[0]["response"] == "utter_answer_updated"
    assert messages[0]["answer_phrase"] == "Vous êtes propriétaire"


def test_unclear_answer_is_asked_again(domain: dict[str, Any]) -> None:
    slots = {"situations": ["F14128"], "answers": {}, "pending_question": "F14128-q1"}
    tracker = make_tracker("euh je sais pas trop", "nlu_fallback", slots)
    events, messages = run_situation(tracker, domain)
    assert [e["name"] for e in events] == ["open_questions", "summary"]
    assert events[0] == SlotSet("open_questions", ["F14128-q1", "F14128-q2", "F14128-q3", "F14128-q4"])
    assert [m["response"] for m in messages] == ["utter_answer_not_understood", "utter_ask_question"]
    assert messages[1]["question_text"] == "Situation avant le déménagement"


def test_dont_know_skips_the_question(domain: dict[str, Any]) -> None:
    slots = {"situations": ["F14128"], "answers": {}, "pending_question": "F14128-q1"}
    tracker = make_tracker("/answer", "answer", slots, choice("F14128-q1-skip"))
    events, _ = run_situation(tracker, domain)
    assert SlotSet("skipped_questions", ["F14128-q1"]) in events
    assert SlotSet("pending_question", "F14128-q2") in events


def test_event_date_and_empathy_for_a_death(domain: dict[str, Any]) -> None:
    tracker = make_tracker("mon père est décédé hier", "situation_F16507")
    events, messages = run_situation(tracker, domain)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert SlotSet("event_date", yesterday) in events
    assert messages[0]["response"] == "utter_empathy_F16507"
    assert messages[1]["response"] == "utter_situation_recognised"


def test_two_situations_in_one_message(domain: dict[str, Any]) -> None:
    ranking = [("situation_F14128", 0.55), ("situation_F16225", 0.35), ("greet", 0.02)]
    tracker = make_tracker("je déménage et on attend un bébé", "situation_F14128", ranking=ranking)
    events, messages = run_situation(tracker, domain)
    assert events[0] == SlotSet("situations", ["F14128", "F16225"])
    titles = [m["situation_title"] for m in messages if m["response"] == "utter_situation_recognised"]
    assert titles == ["Je déménage", "J'attends un enfant"]


def test_answer_to_a_pending_question_does_not_add_a_situation(domain: dict[str, Any]) -> None:
    slots = {
        "situations": ["F14128"],
        "answers": {"F14128-q1": "F14128-q1-c1"},
        "pending_question": "F14128-q4",
    }
    tracker = make_tracker("je suis demandeur d'emploi", "situation_F17556", slots)
    events, _ = run_situation(tracker, domain)
    assert all(e["name"] != "situations" for e in events)
    assert any(e["name"] == "answers" and e["value"]["F14128-q4"] == "F14128-q4-c3" for e in events)


def test_clarify_offers_the_close_situations(domain: dict[str, Any]) -> None:
    ranking = [("situation_F16507", 0.41), ("situation_F17649", 0.38), ("greet", 0.05)]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("héritage de ma mère", "nlu_fallback", ranking=ranking)
    assert ActionClarify().run(dispatcher, tracker, domain) == []
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/situation_F16507", "/situation_F17649", "/deny"]
    assert buttons[0]["title"] == "Je dois faire face au décès d'un proche"


def test_clarify_without_candidates_says_it_did_not_understand(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("blablabla", "nlu_fallback", ranking=[("nlu_fallback", 0.5), ("greet", 0.05)])
    ActionClarify().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]


def test_change_answers_lists_the_answered_questions(domain: dict[str, Any]) -> None:
    slots = {"situations": ["F14128"], "answers": {"F14128-q1": "F14128-q1-c1"}}
    dispatcher = CollectingDispatcher()
    ActionChangeAnswers().run(dispatcher, make_tracker("je me suis trompé", "change_answers", slots), domain)
    assert dispatcher.messages[0]["buttons"] == [
        {"title": "Situation avant le déménagement", "payload": '/answer{"choice_id":"F14128-q1-reset"}'}
    ]
    reset = make_tracker("/answer", "answer", {**slots, "pending_question": None}, choice("F14128-q1-reset"))
    events, messages = run_situation(reset, domain)
    assert SlotSet("answers", {}) in events and SlotSet("pending_question", "F14128-q1") in events
    assert messages[-1]["question_text"] == "Situation avant le déménagement"


def test_yes_without_a_question_is_acknowledged(domain: dict[str, Any]) -> None:
    events, messages = run_situation(make_tracker("oui", "affirm"), domain)
    assert events == [] and [m["response"] for m in messages] == ["utter_how_can_i_help"]


def test_unclear_message_without_a_question_is_clarified(domain: dict[str, Any]) -> None:
    ranking = [("nlu_fallback", 0.5), ("situation_F15913", 0.3), ("situation_F16123", 0.25)]
    events, messages = run_situation(make_tracker("maison banque", "nlu_fallback", ranking=ranking), domain)
    assert events == []
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        "/situation_F15913",
        "/situation_F16123",
        "/deny",
    ]


def test_bare_no_answers_a_yes_no_question(domain: dict[str, Any]) -> None:
    slots = {"situations": ["F16225"], "answers": {}, "pending_question": "F16225-q1"}
    events, _ = run_situation(make_tracker("non", "deny", slots), domain)
    assert SlotSet("answers", {"F16225-q1": "F16225-q1-c2"}) in events
