"""ActionSearch and ActionDefine: official fiches for a direct question, glossary definitions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from actions.kb import set_kb
from actions.kb_answers import best_fiches
from actions.search import ActionDefine, ActionSearch
from assistant.kb import KnowledgeBase, SearchHit
from tests.actions.expect import catalogue, custom, fiche, glossary, plan_entry, utter
from tests.actions.history import Event, bot, button, run, session, slot, turn, user


def fiches(query: str, ids: list[str], in_situation: bool = False) -> list[dict[str, Any]]:
    payload = {
        "type": "fiches",
        "query": query,
        "results": [fiche(i) for i in ids],
        "in_situation": in_situation,
    }
    return [custom(payload)]


def ask(text: str, *earlier: Event) -> list[Event]:
    return [*session(), *earlier, user(text, "ask_demarche")]


def test_a_cerfa_number_finds_the_fiches_carrying_it(domain: dict[str, Any]) -> None:
    # 12100*02 is carried by R45668 (its first cerfa) and F33640 (its second): R45668 first.
    events, messages = run(ActionSearch(), ask("cerfa 12100"), domain)
    assert (events, messages) == ([], fiches("cerfa 12100", ["R45668", "F33640"]))


def test_at_most_three_fiches_the_form_first(domain: dict[str, Any]) -> None:
    # 19 fiches carry 13750: the form R13567 (number in its title), then those whose first cerfa it
    # is, by fiche number (F1480, F1925, …).
    moving = turn(user("je déménage", "situation_F14128"), "action_situation", slot("situations", ["F14128"]))
    events, messages = run(ActionSearch(), ask("le cerfa 13750 ?", *moving), domain)
    assert (events, messages) == ([], fiches("le cerfa 13750 ?", ["R13567", "F1480", "F1925"], True))


def test_a_question_in_words(domain: dict[str, Any]) -> None:
    question = "j'ai perdu ma carte d'identité"
    events, messages = run(ActionSearch(), ask(question), domain)
    assert (events, messages) == ([], fiches(question, ["F1153", "F18704", "F1344"]))


def test_fiches_of_the_plan_come_first_when_they_match_as_well(domain: dict[str, Any]) -> None:
    # R13630 (the loss declaration form) matches less well than the three above, but it is in the
    # plan; F1794 (theft, not loss) is in the plan too but matches too little to be shown at all.
    plan = [plan_entry("F1794"), plan_entry("R13630"), "not a step"]
    earlier = turn(user("…", "situation_F33362"), "action_situation", slot("plan", plan))
    question = "j'ai perdu ma carte d'identité"
    _, messages = run(ActionSearch(), ask(question, *earlier), domain)
    assert messages == fiches(question, ["R13630", "F1153", "F18704"])


@pytest.mark.parametrize("message", [user("zorglub quantique", "ask_demarche"), button("/ask_demarche")])
def test_nothing_relevant(message: Event, domain: dict[str, Any]) -> None:
    assert run(ActionSearch(), [*session(), message], domain) == ([], [utter("utter_search_nothing")])


def test_a_definition_from_the_glossary_with_its_source(domain: dict[str, Any]) -> None:
    # The only glossary term with "préavis": "Préavis du salarié", from F31679.
    entry = next(e for e in glossary() if e["term"] == "Préavis du salarié")
    history = [*session(), user("c'est quoi un préavis ?", "ask_definition")]
    events, messages = run(ActionDefine(), history, domain)
    assert events == []
    assert messages == [
        utter("utter_definition", term="Préavis du salarié", explanation=entry["explanation"]),
        utter(  # a titled link: the fiche's title, then its address
            "utter_definition_source",
            source_title=catalogue()["F31679"]["title"],
            source_url=catalogue()["F31679"]["url"],
        ),
    ]


def test_no_definition_searches_the_fiches_instead(domain: dict[str, Any]) -> None:
    history = [*session(), user("c'est quoi le cerfa 12100", "ask_definition")]
    assert run(ActionDefine(), history, domain) == (
        [],
        fiches("c'est quoi le cerfa 12100", ["R45668", "F33640"]),
    )


def test_a_button_asking_for_a_definition_finds_nothing(domain: dict[str, Any]) -> None:
    history = [
        *session(),
        *turn(user("bonjour", "greet"), "utter_greet", bot("utter_greet")),
        button("/ask_definition"),
    ]
    assert run(ActionDefine(), history, domain) == ([], [utter("utter_search_nothing")])


@pytest.fixture
def without_source(kb: KnowledgeBase) -> Iterator[None]:
    """A knowledge base whose catalogue lost the glossary's source fiche F31679."""
    catalogue_ = {k: v for k, v in kb.catalogue.items() if k != "F31679"}
    set_kb(KnowledgeBase(kb.meta, kb.situations, catalogue_, kb.glossary))
    yield


@pytest.mark.usefixtures("without_source")
def test_a_definition_whose_source_is_gone(domain: dict[str, Any]) -> None:
    history = [*session(), user("c'est quoi un préavis ?", "ask_definition")]
    _, messages = run(ActionDefine(), history, domain)
    assert [m["response"] for m in messages] == ["utter_definition"]


class _Index:
    """A search index answering with fixed scores, to check best_fiches' own rules."""

    def __init__(self, kb: KnowledgeBase, scores: dict[str, float]) -> None:
        self.hits = [SearchHit(kb.catalogue[fid], score) for fid, score in scores.items()]

    def search(self, query: str, limit: int = 5) -> list[SearchHit]:
        return self.hits[:limit]


@pytest.mark.parametrize(
    ("scores", "plan", "expected"),
    [
        ({"F1153": 7.9, "F1344": 5.0}, [], []),  # under MIN_SCORE (8): only common words
        ({"F1153": 20.0, "F1344": 12.0, "F18704": 11.9}, [], ["F1153", "F1344"]),  # under 60 % of the best
        ({"F1153": 20.0, "F1344": 19.0, "F18704": 18.0, "R13630": 17.0}, [], ["F1153", "F1344", "F18704"]),
        (
            {"F1153": 20.0, "F1344": 19.0, "F18704": 18.0, "R13630": 17.0},
            ["R13630", "F18704"],
            ["F18704", "R13630", "F1153"],
        ),  # the plan's fiches first, best first among them
        ({"F1153": 20.0, "F1344": 8.0}, ["F1344"], ["F1153"]),  # in the plan but too weak
    ],
)
def test_best_fiches_rules(
    kb: KnowledgeBase, scores: dict[str, float], plan: list[str], expected: list[str]
) -> None:
    index: Any = _Index(kb, scores)
    assert [e.id for e in best_fiches(index, "…", plan)] == expected
