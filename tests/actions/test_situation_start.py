"""ActionSituation on a first message: which situations, what was already said, the first question."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet

from actions.situations import ActionSituation
from tests.actions.expect import ask, asked, custom, lead, plan_entry, related, situation_ref, summary, utter
from tests.actions.fiches import (
    MOVING_DEADLINES,
    MOVING_RELATED,
    MOVING_TENANT,
    WORK_IN_ADMINISTRATION,
    WORK_IN_ADMINISTRATION_RELATED,
)
from tests.actions.history import answer_button, bot, fallback, run, session, state_slots, turn, user

MOVING_QUESTIONS = ["F14128-q1", "F14128-q2", "F14128-q3", "F14128-q4"]


def run_situation(history: list[Any], domain: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    return run(ActionSituation(), history, domain)


def test_first_message_answers_what_it_already_says(domain: dict[str, Any]) -> None:
    ranking = [("situation_F14128", 0.91), ("situation_F15913", 0.05), ("greet", 0.02)]
    history = [*session(), user("je déménage, je suis propriétaire et retraité", "situation_F14128", ranking)]
    events, messages = run_situation(history, domain)
    assert events == [
        SlotSet("situations", ["F14128"]),
        SlotSet("answers", {"F14128-q1": "F14128-q1-c2", "F14128-q4": "F14128-q4-c4"}),
        SlotSet("pending_question", "F14128-q2"),
        SlotSet("open_questions", ["F14128-q2", "F14128-q3"]),
        summary(["F14128"], ["F14128-q2", "F14128-q3"], answers=["F14128-q1-c2", "F14128-q4-c4"]),
    ]
    nationality = [
        ("F14128-q2-c1", "Français"),
        ("F14128-q2-c2", "Européen (UE)"),
        ("F14128-q2-c3", "Étranger (autre pays)"),
    ]
    # One message: what was understood, how many questions, the first of them with its buttons.
    text = f"{lead('F14128', count=2)}\n\nQuelle est votre nationalité ?"
    assert messages == [ask(text, nationality, "F14128-q2-skip")]


def test_a_death_gets_empathy_and_its_date(domain: dict[str, Any]) -> None:
    history = [*session(), user("mon père est décédé hier", "situation_F16507")]
    events, messages = run_situation(history, domain)
    questions = ["F16507-q1", "F16507-q2", "F16507-q3", "F16507-q4"]
    # "mon père": the relation and the deceased's gender are taken from the message, never asked
    said = {"F16507-rel": "F16507-rel-c2", "F16507-genre": "F16507-genre-c1"}
    assert events == [
        SlotSet("situations", ["F16507"]),
        SlotSet("answers", said),
        SlotSet("event_date", "2025-03-09"),  # the day before TODAY
        SlotSet("pending_question", "F16507-q1"),
        SlotSet("open_questions", questions),
        summary(["F16507"], questions, answers=list(said.values()), event_date="2025-03-09"),
    ]
    assert messages == [
        utter("utter_empathy_F16507"),
        ask(
            "Je vais vous aider pour les démarches après le décès d'un proche. "
            "J'ai 3 ou 4 questions à vous poser, selon vos réponses, pour savoir ce qui vous concerne."
            "\n\nOù le décès a-t-il eu lieu ?",
            [("F16507-q1-c1", "En France"), ("F16507-q1-c2", "À l'étranger")],
            "F16507-q1-skip",
        ),
    ]


def test_two_situations_named_in_one_message(domain: dict[str, Any]) -> None:
    # The whole message ranks the second situation low; a stretch of it names it surely, and the
    # search finds its démarches in that stretch.
    ranking = [("situation_F14128", 0.9), ("situation_F16225", 0.05), ("greet", 0.02)]
    stretches = [
        ("je déménage bientôt et", [("situation_F14128", 0.97)]),
        ("et on attend un bébé", [("situation_F16225", 0.93)]),
    ]
    text = "je déménage bientôt et on attend un bébé"
    history = [*session(), user(text, "situation_F14128", ranking, segments=stretches)]
    events, messages = run_situation(history, domain)
    # F16225-q1 ("un autre enfant à charge ?") does what F14128-q3 does: it is asked once.
    questions = [*MOVING_QUESTIONS, "F16225-q2", "F16225-q3"]
    assert events == [
        SlotSet("situations", ["F14128", "F16225"]),
        SlotSet("pending_question", "F14128-q1"),
        SlotSet("open_questions", questions),
        summary(["F14128", "F16225"], questions),
    ]
    assert messages == [
        asked(
            "F14128-q1",
            "Je vais vous aider pour ces 2 situations à la fois : "
            "« Je déménage » et « J'attends un enfant ». " + lead(count=6),
        ),
    ]


def test_a_close_second_intent_no_stretch_names_is_ignored(domain: dict[str, Any]) -> None:
    ranking = [("situation_F14128", 0.55), ("situation_F16225", 0.35)]
    history = [*session(), user("je déménage bientôt", "situation_F14128", ranking)]
    events, _ = run_situation(history, domain)
    assert events[0] == SlotSet("situations", ["F14128"])  # 0.55, backed by the search


def test_a_stretch_the_search_does_not_back_names_nothing(domain: dict[str, Any]) -> None:
    ranking = [("situation_F14128", 0.95), ("situation_F33362", 0.01)]
    stretches = [
        ("on déménage à Lyon", [("situation_F14128", 0.9)]),
        ("ma femme et moi", [("situation_F33362", 0.9)]),
    ]
    history = [
        *session(),
        user("on déménage à Lyon ma femme et moi", "situation_F14128", ranking, segments=stretches),
    ]
    events, _ = run_situation(history, domain)
    assert events[0] == SlotSet("situations", ["F14128"])


def test_a_demarche_question_pulled_to_a_situation_gets_fiches_and_a_choice(domain: dict[str, Any]) -> None:
    # The classifier leans to the disabled child; the search finds the identity card fiches,
    # none of which is among that situation's démarches.
    ranking = [("situation_F24610", 0.6), ("ask_demarche", 0.2), ("situation_F16225", 0.1)]
    text = "on m'a volé mon portefeuille avec ma carte d'identité"
    events, messages = run_situation([*session(), user(text, "situation_F24610", ranking)], domain)
    assert events == []  # no situation is taken
    card, choice = messages
    found = [r["fiche_id"] for r in card["custom"]["results"]]
    assert card["custom"]["type"] == "fiches" and {"F33805", "F1759"} & set(found), found
    buttons = [
        {"title": "Mon enfant est en situation de handicap", "payload": "/situation_F24610"},
        {"title": "Autre chose", "payload": "/deny"},
    ]
    assert choice == utter("utter_ask_situation_after_fiches", buttons)


def test_a_death_without_the_relation_asks_it_first(domain: dict[str, Any]) -> None:
    history = [*session(), user("démarches après un décès", "situation_F16507")]
    events, messages = run_situation(history, domain)
    assert SlotSet("pending_question", "F16507-rel") in events
    relations = [
        ("F16507-rel-c1", "Mon conjoint ou partenaire"),
        ("F16507-rel-c2", "Mon père ou ma mère"),
        ("F16507-rel-c3", "Mon enfant"),
        ("F16507-rel-c4", "Un autre proche"),
    ]
    text = (
        "Je vais vous aider pour les démarches après le décès d'un proche. J'ai 4 ou 5 questions à vous "
        "poser, selon vos réponses, pour savoir ce qui vous concerne."
        "\n\nQui était la personne décédée pour vous ?"
    )
    assert messages == [utter("utter_empathy_F16507"), ask(text, relations, "F16507-rel-skip")]


def test_a_weak_second_intent_is_ignored_even_when_joined(domain: dict[str, Any]) -> None:
    ranking = [("situation_F14128", 0.80), ("situation_F16225", 0.14), ("situation_F15913", 0.04)]
    history = [*session(), user("je déménage et je change de travail", "situation_F14128", ranking)]
    events, _ = run_situation(history, domain)
    assert events[0] == SlotSet("situations", ["F14128"])


def test_a_situation_without_questions_shows_the_plan_at_once(domain: dict[str, Any]) -> None:
    title = "Je souhaite travailler dans l'administration"
    history = [*session(), user("je veux devenir fonctionnaire", "situation_F1700")]
    events, messages = run_situation(history, domain)
    assert events == [
        SlotSet("situations", ["F1700"]),
        SlotSet("open_questions", []),
        summary(["F1700"], []),
        SlotSet("plan", [plan_entry(fid) for fid in WORK_IN_ADMINISTRATION]),
        SlotSet("related", related(WORK_IN_ADMINISTRATION_RELATED)),
        SlotSet("plan_page", 1.0),
    ]
    # The situation in the bot's voice, never the fiche's title as if the person said it.
    assert messages[0] == utter("utter_situation_F1700", situation_title=title)
    payload = messages[1]["custom"]
    assert messages[1] == custom(payload) and len(messages) == 2
    assert (payload["type"], payload["situations"], payload["total"], payload["page"], payload["pages"]) == (
        "plan",
        [situation_ref("F1700")],
        4,
        1,
        1,
    )
    assert [i["fiche_id"] for i in payload["page_items"]] == WORK_IN_ADMINISTRATION
    # one page: no "la suite", the references offered instead
    assert payload["buttons"] == [{"title": "Pour en savoir plus", "payload": "/plan_related"}]
    assert payload["urgent"] == [] and payload["event_date"] is None


def test_an_answer_without_any_situation_is_not_understood(domain: dict[str, Any]) -> None:
    history = [*session(), user("je suis locataire", "answer")]
    assert run_situation(history, domain) == ([], [utter("utter_default")])


def test_a_situation_already_known_shows_the_plan_again(domain: dict[str, Any]) -> None:
    choices = ["F14128-q1-c1", "F14128-q2-c1", "F14128-q3-c1", "F14128-q4-c1"]
    answered = {cid.rsplit("-c", 1)[0]: cid for cid in choices}
    earlier = turn(
        answer_button("F14128-q4-c1"),
        "action_situation",
        *state_slots(situations=["F14128"], answers=answered, pending_question=None, plan_page=1.0),
        bot(custom={"type": "plan"}),
    )
    history = [*session(), *earlier, user("je déménage", "situation_F14128")]
    events, messages = run_situation(history, domain)
    assert events == [
        SlotSet("open_questions", []),
        summary(["F14128"], [], answers=choices),
        SlotSet("plan", [plan_entry(fid, MOVING_DEADLINES.get(fid)) for fid in MOVING_TENANT]),
        SlotSet("related", related(MOVING_RELATED)),
        SlotSet("plan_page", 1.0),
    ]
    assert len(messages) == 1 and messages[0]["custom"]["page_items"][0]["fiche_id"] == "F1168"


def test_yes_or_no_without_a_question_is_acknowledged(domain: dict[str, Any]) -> None:
    for message in (user("oui", "affirm"), user("non merci", "deny")):
        assert run_situation([*session(), message], domain) == ([], [utter("utter_how_can_i_help")])


def test_an_unclear_first_message_is_clarified(domain: dict[str, Any]) -> None:
    ranking = [("situation_F15913", 0.3), ("situation_F16123", 0.25), ("greet", 0.05)]
    events, messages = run_situation([*session(), fallback("maison banque", ranking)], domain)
    buttons = [
        {"title": "J'achète un logement", "payload": "/situation_F15913"},
        {"title": "Je veux obtenir un crédit immobilier", "payload": "/situation_F16123"},
        {"title": "Autre chose", "payload": "/deny"},
    ]
    # the fiches found for the words come first, then the situations as buttons
    assert events == [] and [m["custom"]["type"] for m in messages[:-1]] == ["fiches"]
    assert messages[-1] == utter("utter_ask_situation_after_fiches", buttons)
