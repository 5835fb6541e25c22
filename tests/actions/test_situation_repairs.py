"""ActionSituation keeps the questionnaire on its rails: typed answers of every kind, skip, go back,
start over, cancel, and digressions answered before the pending question is asked again."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.plans import ActionPlanDetails, ActionPlanNext
from actions.search import ActionDefine, ActionSearch
from actions.situations import ActionSituation
from actions.small_talk import ActionSmallTalk
from tests.actions.expect import asked, summary, utter
from tests.actions.history import run, session, user
from tests.actions.test_situation_answers import Q1, Q2, Q3, Q4, asking

TENANT, OWNER = "F14128-q1-c1", "F14128-q1-c2"
FRENCH, EUROPEAN, FOREIGN = "F14128-q2-c1", "F14128-q2-c2", "F14128-q2-c3"
YES, NO = "F14128-q3-c1", "F14128-q3-c2"


def run_situation(history: list[Any], domain: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    return run(ActionSituation(), history, domain)


@pytest.mark.parametrize(
    ("pending", "typed", "intent", "choice"),
    [
        (Q1, "locatair", "answer", TENANT),  # a typo in the label
        (Q1, "proprietere", "nlu_fallback", OWNER),
        (Q2, "fr", "ask_demarche", FRENCH),  # the beginning of a label, read as a question by the NLU
        (Q2, "etranger", "answer", FOREIGN),
        (Q2, "2", "plan_details", EUROPEAN),  # a number, read as "details of item 2" by the NLU
        (Q1, "1", "plan_details", TENANT),
        (Q3, "ouai", "affirm", YES),
        (Q3, "nan", "deny", NO),
        (Q3, "pas du tout", "deny", NO),
        (Q3, "bien sûr", "affirm", YES),
        (Q3, "non pas du tout", "deny", NO),
    ],
)
def test_a_typed_answer_to_the_pending_question(
    pending: str, typed: str, intent: str, choice: str, domain: dict[str, Any]
) -> None:
    answered = {Q1: TENANT, Q2: FRENCH} if pending == Q3 else {Q1: TENANT} if pending == Q2 else {}
    events, _ = run_situation([*asking(pending, answered), user(typed, intent)], domain)
    assert SlotSet("answers", {**answered, pending: choice}) in events


def test_a_correction_in_words_adds_no_situation(domain: dict[str, Any]) -> None:
    """ "en fait on est propriétaires" corrects the first answer; the classifier's "J'achète un
    logement" is not taken on top of it."""
    history = [
        *asking(Q2, {Q1: TENANT}),
        user("ah non pardon, en fait on est propriétaires", "situation_F23571", [("situation_F23571", 0.9)]),
    ]
    events, messages = run_situation(history, domain)
    assert SlotSet("answers", {Q1: OWNER}) in events
    assert not any(e.get("name") == "situations" for e in events)
    assert messages[0]["response"] == "utter_answer_updated" and messages[-1] == asked(Q2)


def test_dont_know_skips_the_question(domain: dict[str, Any]) -> None:
    events, messages = run_situation(
        [*asking(Q2, {Q1: TENANT}), user("je sais pas trop", "dont_know")], domain
    )
    assert events == [
        SlotSet("skipped_questions", [Q2]),
        SlotSet("pending_question", Q3),
        SlotSet("open_questions", [Q3, Q4]),
        summary(["F14128"], [Q3, Q4], answers=[TENANT], skipped=[Q2]),
    ]
    assert messages == [utter("utter_question_skipped"), asked(Q3)]


def test_unsure_first_is_a_skip_even_when_the_sentence_names_a_choice(domain: dict[str, Any]) -> None:
    # the classifier reads an answer ("français"); the words say the person does not know
    typed = "je sais pas s'il etait francais"
    events, messages = run_situation([*asking(Q2, {Q1: TENANT}), user(typed, "answer")], domain)
    assert SlotSet("skipped_questions", [Q2]) in events
    assert not any(e.get("name") == "answers" for e in events)
    assert messages == [utter("utter_question_skipped"), asked(Q3)]
    # "je suis pas locataire" is an answer, not doubt
    events, _ = run_situation([*asking(Q1), user("je suis pas locataire", "answer")], domain)
    assert not any(e.get("name") == "skipped_questions" for e in events)


def test_go_back_asks_the_previous_question_again(domain: dict[str, Any]) -> None:
    history = [*asking(Q3, {Q1: TENANT, Q2: FRENCH}), user("revenir à la question d'avant", "go_back")]
    events, messages = run_situation(history, domain)
    assert events == [
        SlotSet("answers", {Q1: TENANT}),
        SlotSet("pending_question", Q2),
        SlotSet("open_questions", [Q2, Q3, Q4]),
        summary(["F14128"], [Q2, Q3, Q4], answers=[TENANT]),
    ]
    assert messages == [utter("utter_going_back"), asked(Q2)]


def test_go_back_on_the_first_question_keeps_it(domain: dict[str, Any]) -> None:
    events, messages = run_situation([*asking(Q1), user("retour", "go_back")], domain)
    assert events == []
    assert messages == [utter("utter_nothing_to_change"), utter("utter_back_to_question"), asked(Q1)]


def test_start_over_forgets_everything(domain: dict[str, Any]) -> None:
    events, messages = run_situation(
        [*asking(Q3, {Q1: TENANT, Q2: FRENCH}), user("on recommence", "start_over")], domain
    )
    assert events == [
        SlotSet("situations", []),
        SlotSet("answers", {}),
        SlotSet("pending_question", None),
        SlotSet("plan", None),
        SlotSet("summary", None),
        SlotSet("open_questions", None),
    ]
    assert messages == [utter("utter_start_over")]


def test_cancel_stops_the_questions(domain: dict[str, Any]) -> None:
    events, messages = run_situation([*asking(Q2, {Q1: TENANT}), user("laisse tomber", "cancel")], domain)
    assert SlotSet("pending_question", None) in events and SlotSet("situations", []) in events
    assert messages == [utter("utter_questionnaire_cancelled")]


def test_a_request_to_stop_in_words_stops_the_questions_whatever_its_intent(domain: dict[str, Any]) -> None:
    typed = "je peux pas faire ca maintenant, on arrete"
    events, messages = run_situation([*asking(Q2, {Q1: TENANT}), user(typed, "ask_demarche")], domain)
    assert SlotSet("pending_question", None) in events
    assert messages == [utter("utter_questionnaire_cancelled")]
    # read as "je ne sais pas" by the classifier, "on arrête" still stops
    events, messages = run_situation([*asking(Q2, {Q1: TENANT}), user("on arrete", "dont_know")], domain)
    assert SlotSet("pending_question", None) in events
    assert messages == [utter("utter_questionnaire_cancelled")]
    # "on arrête de louer" is no request to stop
    events, _ = run_situation([*asking(Q4, {Q1: TENANT}), user("on arrete de travailler", "answer")], domain)
    assert SlotSet("pending_question", None) not in events


def test_a_definition_is_answered_then_the_question_comes_back(domain: dict[str, Any]) -> None:
    history = [*asking(Q2, {Q1: TENANT}), user("c'est quoi un préavis ?", "ask_definition")]
    events, messages = run_situation(history, domain)
    assert events == []  # nothing of the questionnaire changes
    assert messages[0]["response"] == "utter_definition"
    assert messages[-2:] == [utter("utter_back_to_question"), asked(Q2)]


def test_a_demarche_question_gets_its_fiches_then_the_question(domain: dict[str, Any]) -> None:
    history = [
        *asking(Q2, {Q1: TENANT}),
        user("comment faire une procuration pour voter", "ask_demarche", [("ask_demarche", 0.9)]),
    ]
    events, messages = run_situation(history, domain)
    assert events == []
    assert messages[0]["custom"]["type"] == "fiches"
    assert messages[-2:] == [utter("utter_back_to_question"), asked(Q2)]


@pytest.mark.parametrize(
    ("typed", "intent", "response"),
    [
        ("merci", "thank", "utter_thank_in_questionnaire"),
        ("tu es un robot ?", "bot_challenge", "utter_bot_challenge"),
    ],
)
def test_small_talk_is_answered_then_the_question_comes_back(
    typed: str, intent: str, response: str, domain: dict[str, Any]
) -> None:
    history = [*asking(Q2, {Q1: TENANT}), user(typed, intent, [(intent, 0.95)])]
    events, messages = run_situation(history, domain)
    assert events == []
    assert messages == [utter(response), utter("utter_back_to_question"), asked(Q2)]


@pytest.mark.parametrize(
    ("action_", "typed", "intent", "choice"),
    [
        (ActionPlanDetails(), "2", "plan_details", EUROPEAN),
        (ActionPlanNext(), "la suivante", "plan_next", None),
        (ActionSearch(), "fr", "ask_demarche", FRENCH),
        (ActionDefine(), "etranger", "ask_definition", FOREIGN),
    ],
)
def test_the_other_actions_hand_a_pending_question_its_answer(
    action_: Any, typed: str, intent: str, choice: str | None, domain: dict[str, Any]
) -> None:
    """The NLU took the answer for something else: the action hands it to the questionnaire."""
    events, messages = run(action_, [*asking(Q2, {Q1: TENANT}), user(typed, intent)], domain)
    if choice:
        assert SlotSet("answers", {Q1: TENANT, Q2: choice}) in events and messages[-1] == asked(Q3)
    else:  # not an answer: the question is asked again, nothing else is shown
        assert messages[-1] == asked(Q2) and not any(m.get("custom") for m in messages)


def test_small_talk_outside_a_question_gets_its_usual_answer(domain: dict[str, Any]) -> None:
    events, messages = run(ActionSmallTalk(), [*session(), user("bonjour", "greet")], domain)
    assert (events, messages) == ([], [utter("utter_greet")])


def test_small_talk_during_a_question_gets_a_short_answer_then_the_question(domain: dict[str, Any]) -> None:
    events, messages = run(ActionSmallTalk(), [*asking(Q2, {Q1: TENANT}), user("merci", "thank")], domain)
    assert events == []
    assert messages == [utter("utter_thank_in_questionnaire"), utter("utter_back_to_question"), asked(Q2)]


def test_a_question_about_a_word_of_the_question_is_not_an_answer(domain: dict[str, Any]) -> None:
    """ "ça veut dire quoi HLM ?" while "Vous louez un logement social (HLM) ?" waits:
    the word is explained, nothing is answered, and the question comes again."""
    pending = "F16225-q3"
    answered = {"F16225-q1": "F16225-q1-c1", "F16225-q2": "F16225-q2-c1"}
    history = [*asking(pending, answered, sid="F16225"), user("ça veut dire quoi HLM ?", "ask_definition")]
    events, messages = run_situation(history, domain)
    assert events == []
    assert messages[-2:] == [utter("utter_back_to_question"), asked(pending)]
