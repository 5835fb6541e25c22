"""What people read: the situation in the bot's voice, questions worded as questions, a question
count that is the number actually asked, one greeting, and the reason for a question."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions import question_count
from actions.question_count import question_counts
from actions.situations import ActionSituation
from actions.small_talk import ActionSmallTalk
from actions.why import asks_why
from assistant.kb import KnowledgeBase
from channels.sms_rendering import plain
from channels.sms_segments import encoding
from tests.actions.expect import answer, asked, said, situations, utter
from tests.actions.history import action, bot, button, listen, run, session, turn, user
from tests.actions.test_situation_answers import Q2, asking

INTRO_COUNT = "J'ai {} questions à vous poser"


@pytest.mark.parametrize("sid", sorted(situations()))
def test_every_situation_is_acknowledged_in_the_bot_s_voice(sid: str) -> None:
    phrase = said(f"utter_situation_{sid}")
    assert phrase.startswith("Je vais vous aider") and phrase.endswith(".")
    assert situations()[sid]["title"] not in phrase  # never the title, said as if by the person
    assert encoding(plain(phrase)) == "GSM-7", phrase  # it leads the first question in an SMS


# F16507-genre is never asked: the deceased's gender is recorded from the person's words ("ma mère").
ASKED = sorted(
    q["id"] for s in situations().values() for q in s["questions"] if not q["id"].endswith("-genre")
)


@pytest.mark.parametrize("qid", ASKED)
def test_every_question_of_the_fiches_is_worded_as_a_question(qid: str) -> None:
    text = said("utter_question_" + qid.replace("-", "_"))
    assert text.endswith(" ?") and text[0].isupper() and text.count("?") == 1
    # No letter outside the SMS alphabet ("ê"): the question and its choices fit in one SMS turn.
    assert encoding(plain(text)) == "GSM-7", text


def play(sid: str, pick: int, domain: dict[str, Any]) -> tuple[str, int]:
    """A whole questionnaire, answered by button with choice `pick` (-1: the last choice): the
    count the first message announced, and how many questions were actually asked."""
    history = [*session(), user(f"/situation_{sid}", f"situation_{sid}")]
    announced, asked_ = "", 0
    while True:
        events, messages = run(ActionSituation(), history, domain)
        questions = [m for m in messages if m.get("response") == "utter_ask_question"]
        if not questions:
            return announced, asked_
        asked_ += 1
        announced = announced or questions[0]["question_text"]
        choices = [b["payload"] for b in questions[0]["buttons"][:-1]]  # not "Je ne sais pas"
        history += [
            action("action_situation"),
            *events,
            *[bot(m["response"]) for m in messages],
            listen(),
            button(choices[pick]),
        ]


@pytest.mark.parametrize(("sid", "count"), [("F14128", 4), ("F16225", 3), ("F33362", 3)])
@pytest.mark.parametrize("pick", [0, -1])
def test_the_announced_count_is_the_number_asked(
    sid: str, count: int, pick: int, domain: dict[str, Any]
) -> None:
    announced, number = play(sid, pick, domain)
    assert INTRO_COUNT.format(count) in announced and number == count


def test_a_count_that_depends_on_the_answers_is_announced_as_such(domain: dict[str, Any]) -> None:
    """A death abroad needs one question fewer: "4 ou 5 questions" (the relation to the deceased
    first), and both happen."""
    numbers = set()
    for pick in (0, -1):
        announced, number = play("F16507", pick, domain)
        assert "J'ai 4 ou 5 questions à vous poser, selon vos réponses," in announced
        numbers.add(number)
    assert numbers == {4, 5}


def test_one_question_is_announced_in_the_singular(domain: dict[str, Any]) -> None:
    history = [*session(), user("je déménage, locataire, retraité, on a des enfants", "situation_F14128")]
    _, messages = run(ActionSituation(), history, domain)
    assert "J'ai une question à vous poser pour savoir ce qui vous concerne." in messages[-1]["question_text"]


WELCOMED = [
    *session(),
    *turn(user("/start_conversation", "start_conversation"), "utter_welcome", bot("utter_welcome")),
]


def test_bonjour_after_the_welcome_gets_no_second_greeting(domain: dict[str, Any]) -> None:
    events, messages = run(ActionSmallTalk(), [*WELCOMED, user("bonjour", "greet")], domain)
    assert (events, messages) == ([], [utter("utter_greet_again")])
    assert not said("utter_greet_again").lower().startswith(("bonjour", "salut"))


def test_bonjour_in_the_middle_of_the_questions_gets_the_question_only(domain: dict[str, Any]) -> None:
    history = [*WELCOMED, *asking(Q2, {"F14128-q1": "F14128-q1-c1"})[3:], user("bonjour", "greet")]
    events, messages = run(ActionSmallTalk(), history, domain)
    assert (events, messages) == ([], [utter("utter_back_to_question"), asked(Q2)])


@pytest.mark.parametrize(
    ("typed", "intent"),
    [
        ("pourquoi vous demandez ma nationalité ?", "ask_demarche"),
        ("pourquoi cette question ?", "ask_demarche"),
        ("ça change quoi ?", "nlu_fallback"),
        ("Pourquoi ?", "out_of_scope"),
        ("mais pourquoi ça", "nlu_fallback"),
        ("c'est pour quoi faire ?", "ask_demarche"),
        ("à quoi ça sert de savoir ça", "ask_demarche"),
    ],
)
def test_why_a_question_gets_the_reason_then_the_question(
    typed: str, intent: str, domain: dict[str, Any]
) -> None:
    events, messages = run(
        ActionSituation(), [*asking(Q2, {"F14128-q1": "F14128-q1-c1"}), user(typed, intent)], domain
    )
    assert events == []
    reason, back, question = messages
    assert reason["text"].startswith(
        "Je vous pose cette question parce que votre réponse change les démarches"
    )
    # What each answer adds to the plan, from the fiche's rules: no search results.
    assert (
        "- si vous répondez « Français » : « Carte d'identité », « Passeport » et 3 autres démarches"
        in reason["text"]
    )
    assert "- si vous répondez « Étranger (autre pays) » : « Titres, carte de séjour" in reason["text"]
    assert not reason["custom"] and (back, question) == (utter("utter_back_to_question"), asked(Q2))


def test_why_a_question_whose_answer_counts_with_another_gives_examples(domain: dict[str, Any]) -> None:
    """The deceased's nationality changes nothing alone (it counts with the place of death)."""
    history = [
        *asking("F16507-q2", {"F16507-q1": "F16507-q1-c1"}, sid="F16507"),
        user("pourquoi vous me demandez ça ?", "ask_demarche"),
    ]
    _, messages = run(ActionSituation(), history, domain)
    assert messages[0]["text"].startswith("Je vous pose cette question parce que")
    assert messages[-1] == asked("F16507-q2")


@pytest.mark.parametrize(
    "text",
    [
        "pourquoi faut-il déclarer le décès ?",
        "pourquoi ça prend autant de temps de déclarer le décès ?",
        "pourquoi mon dossier est refusé",
        "je suis français",
    ],
)
def test_a_question_about_a_demarche_is_no_why(text: str) -> None:
    assert not asks_why(text)


def test_an_answer_button_is_still_an_answer(domain: dict[str, Any]) -> None:
    history = [*asking(Q2, {"F14128-q1": "F14128-q1-c1"}), button(answer("F14128-q2-c1"))]
    events, _ = run(ActionSituation(), history, domain)
    assert SlotSet("answers", {"F14128-q1": "F14128-q1-c1", Q2: "F14128-q2-c1"}) in events


@pytest.mark.parametrize(
    ("sids", "counts"),
    [(["F14128", "F16225"], {6}), (["F14128", "F33362"], {5}), (["F16507", "F14128"], {8, 9})],
)
def test_situations_together_are_counted_with_their_shared_questions_asked_once(
    sids: list[str], counts: set[int], kb: KnowledgeBase
) -> None:
    # Figures from playing every sequence of answers without the search's shortcuts.
    assert question_counts(kb, sids, {}, []) == counts


def test_no_number_is_announced_when_the_count_takes_too_long(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, domain: dict[str, Any]
) -> None:
    monkeypatch.setattr(question_count, "BUDGET", 5)
    assert question_counts(kb, ["F14128"], {}, []) is None
    history = [*session(), user("je déménage", "situation_F14128")]
    _, messages = run(ActionSituation(), history, domain)
    assert messages[0]["question_text"].startswith(
        "Je vais vous aider pour les démarches de votre déménagement. "
        "J'ai quelques questions à vous poser pour savoir ce qui vous concerne."
    )


def test_the_reason_names_every_demarche_rather_than_one_other(domain: dict[str, Any]) -> None:
    history = [*asking("F33362-q1", sid="F33362"), user("pourquoi cette question ?", "ask_demarche")]
    _, messages = run(ActionSituation(), history, domain)
    text = messages[0]["text"]
    # three démarches: all named, never "et 1 autres"
    assert (
        "- si vous répondez « Marié(e) » : « Séparation de corps », « Avocat » "
        "et « Prestation compensatoire »" in text
    )
    assert "- si vous répondez « Pacsé(e) » : « Dissoudre un Pacs »" in text
    history = [*asking("F14128-q1"), user("pourquoi cette question ?", "ask_demarche")]
    _, messages = run(ActionSituation(), history, domain)
    text = messages[0]["text"]
    # five: two named, the rest counted
    assert "« État des lieux de sortie dans un contrat de location » et 3 autres démarches" in text
