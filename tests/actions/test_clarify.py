"""ActionClarify (which situation?) and ActionChangeAnswers (which answer to correct?)."""

from __future__ import annotations

from typing import Any

from actions.clarify import ActionChangeAnswers, ActionClarify
from tests.actions.expect import answer, utter
from tests.actions.history import Event, bot, fallback, run, session, state_slots, turn, user

UNRELATED = [("greet", 0.3), ("thank", 0.12), ("goodbye", 0.05)]


def misunderstood(text: str) -> list[Event]:
    """A past turn the bot did not understand."""
    return turn(fallback(text, UNRELATED), "action_situation", bot("utter_default"))


def test_close_situations_are_offered_as_buttons(domain: dict[str, Any]) -> None:
    ranking = [("situation_F16507", 0.41), ("situation_F17649", 0.38), ("greet", 0.05)]
    events, messages = run(ActionClarify(), [*session(), fallback("héritage de ma mère", ranking)], domain)
    buttons = [
        {"title": "Je dois faire face au décès d'un proche", "payload": "/situation_F16507"},
        {"title": "J'organise ma succession", "payload": "/situation_F17649"},
        {"title": "Autre chose", "payload": "/deny"},
    ]
    assert events == []
    card, *rest = messages
    assert card["custom"]["type"] == "fiches" and card["custom"]["in_situation"] is False
    titles = [r["title"] for r in card["custom"]["results"]]
    assert titles and all("ritage" in t for t in titles), titles  # the fiches about inheritance
    assert not {r["fiche_id"] for r in card["custom"]["results"]} & {"F16507", "F17649"}
    assert rest == [utter("utter_ask_situation_after_fiches", buttons)]


def test_a_demarche_question_with_no_close_situation_gets_the_fiches_alone(domain: dict[str, Any]) -> None:
    history = [*session(), fallback("comment se pacser a la mairie", UNRELATED)]
    events, messages = run(ActionClarify(), history, domain)
    assert events == [] and len(messages) == 1
    assert any("Pacs" in r["title"] for r in messages[0]["custom"]["results"])


def test_only_the_top_three_and_only_likely_situations_are_offered(domain: dict[str, Any]) -> None:
    # nlu_fallback is the first of the three; a situation under 0.15 is too unlikely to offer.
    ranking = [("situation_F15913", 0.3), ("situation_F16123", 0.09), ("situation_F14128", 0.08)]
    events, messages = run(ActionClarify(), [*session(), fallback("maison", ranking)], domain)
    buttons = [
        {"title": "J'achète un logement", "payload": "/situation_F15913"},
        {"title": "Autre chose", "payload": "/deny"},
    ]
    # the fiches found for the words come first, then the situations as buttons
    assert events == [] and [m["custom"]["type"] for m in messages[:-1]] == ["fiches"]
    assert messages[-1] == utter("utter_ask_situation_after_fiches", buttons)


def test_no_candidate_the_first_time_asks_to_rephrase(domain: dict[str, Any]) -> None:
    history = [*session(), fallback("blablabla", UNRELATED)]
    assert run(ActionClarify(), history, domain) == ([], [utter("utter_default")])


def test_no_candidate_twice_in_a_row_offers_a_human(domain: dict[str, Any]) -> None:
    history = [*session(), *misunderstood("blabla"), fallback("blablabla", UNRELATED)]
    assert run(ActionClarify(), history, domain) == ([], [utter("utter_offer_human")])


def test_two_misunderstandings_apart_do_not_offer_a_human(domain: dict[str, Any]) -> None:
    understood = turn(user("bonjour", "greet"), "utter_greet", bot("utter_greet"))
    history = [*session(), *misunderstood("blabla"), *understood, fallback("blablabla", UNRELATED)]
    assert run(ActionClarify(), history, domain) == ([], [utter("utter_default")])


def test_change_answers_lists_the_answered_then_the_skipped_questions(domain: dict[str, Any]) -> None:
    state = state_slots(
        situations=["F14128"],
        answers={"F14128-q1": "F14128-q1-c1"},
        skipped_questions=["F14128-q2"],
        pending_question="F14128-q3",
    )
    earlier = turn(user("je déménage, je suis locataire", "situation_F14128"), "action_situation", *state)
    history = [*session(), *earlier, user("je me suis trompé", "change_answers")]
    buttons = [
        {"title": "Situation avant le déménagement", "payload": answer("F14128-q1-reset")},
        {"title": "Nationalité", "payload": answer("F14128-q2-reset")},
    ]
    assert run(ActionChangeAnswers(), history, domain) == ([], [utter("utter_change_which", buttons)])


def test_change_answers_skips_situations_the_knowledge_base_no_longer_has(domain: dict[str, Any]) -> None:
    # A conversation started before an update that removed a situation (F99999) from the fiches.
    state = state_slots(
        situations=["F99999", "F16225"], answers={"F99999-q1": "F99999-q1-c1", "F16225-q1": "F16225-q1-c2"}
    )
    earlier = turn(user("j'attends un enfant", "situation_F16225"), "action_situation", *state)
    history = [*session(), *earlier, user("je veux changer une réponse", "change_answers")]
    buttons = [{"title": "Avez-vous un autre enfant à charge ?", "payload": answer("F16225-q1-reset")}]
    assert run(ActionChangeAnswers(), history, domain) == ([], [utter("utter_change_which", buttons)])


def test_nothing_to_change_before_any_answer(domain: dict[str, Any]) -> None:
    history = [*session(), user("je veux changer une réponse", "change_answers")]
    assert run(ActionChangeAnswers(), history, domain) == ([], [utter("utter_nothing_to_change")])
