"""``match_answers``: free-text answers read from the choices' own wording."""

from __future__ import annotations

import pytest

from assistant.kb import KnowledgeBase, KnowledgeBaseError
from assistant.kb.answers import yes_or_no


def _labels(
    kb: KnowledgeBase, situation_id: str, text: str, question_id: str | None = None
) -> dict[str, str]:
    """Question id -> label of the chosen choice."""
    answers = kb.match_answers(situation_id, text, question_id)
    questions = {q.id: q for q in kb.situations[situation_id].questions}
    return {qid: next(c.label for c in questions[qid].choices if c.id == cid) for qid, cid in answers.items()}


@pytest.mark.parametrize(
    ("situation_id", "text", "expected"),
    [
        ("F14128", "je suis locataire", {"F14128-q1": "Locataire"}),
        ("F14128", "Je déménage, je suis PROPRIETAIRE et retraité",
         {"F14128-q1": "Propriétaire", "F14128-q4": "Retraité"}),
        ("F14128", "je suis proprio", {"F14128-q1": "Propriétaire"}),
        ("F14128", "oui, deux enfants", {"F14128-q3": "Oui"}),
        ("F14128", "je n'ai pas d'enfants et je suis fonctionnaire",
         {"F14128-q3": "Non", "F14128-q4": "Agent public"}),
        ("F14128", "je suis française, salariée",
         {"F14128-q2": "Français", "F14128-q4": "Salarié du secteur privé"}),
        ("F14128", "citoyen européen au chômage",
         {"F14128-q2": "Européen (UE)", "F14128-q4": "Demandeur d'emploi"}),
        ("F16225", "j'attends un enfant et je suis au chômage", {"F16225-q2": "Non"}),
        ("F16225", "enceinte, j'ai un emploi et je vis en HLM", {"F16225-q2": "Oui", "F16225-q3": "Oui"}),
        ("F16225", "je n'ai pas d'autre enfant", {"F16225-q1": "Non"}),
        ("F16507", "mon père est décédé à l'étranger, il était français et retraité",
         {"F16507-q1": "À l'étranger", "F16507-q2": "Français", "F16507-q4": "Retraité",
          "F16507-rel": "Mon père ou ma mère", "F16507-genre": "Un homme"}),
        ("F16507", "ma mère est morte en France, elle était locataire",
         {"F16507-q1": "En France", "F16507-q3": "Locataire", "F16507-rel": "Mon père ou ma mère",
          "F16507-genre": "Une femme"}),
        ("F16507", "il était étranger", {"F16507-q2": "Étranger"}),
        ("F33362", "je suis pacsée, locataire, et nous avons deux enfants",
         {"F33362-q1": "Pacsé(e)", "F33362-q2": "Locataire", "F33362-q3": "Oui"}),
        ("F33362", "nous sommes mariés, propriétaires, sans enfant",
         {"F33362-q1": "Marié(e)", "F33362-q2": "Propriétaire", "F33362-q3": "Non"}),
        ("F33362", "on vit en concubinage", {"F33362-q1": "Union libre"}),
    ],
)  # fmt: skip
def test_free_text(kb: KnowledgeBase, situation_id: str, text: str, expected: dict[str, str]) -> None:
    assert _labels(kb, situation_id, text) == expected


def test_the_situation_title_answers_nothing(kb: KnowledgeBase) -> None:
    # "un enfant" here is the expected baby, not another child in the household.
    assert _labels(kb, "F16225", "j'attends un enfant") == {}
    assert _labels(kb, "F14128", "je déménage") == {}


def test_bare_answers_to_the_question_just_asked(kb: KnowledgeBase) -> None:
    assert _labels(kb, "F14128", "oui", "F14128-q3") == {"F14128-q3": "Oui"}
    assert _labels(kb, "F14128", "Non merci", "F14128-q3") == {"F14128-q3": "Non"}
    assert _labels(kb, "F14128", "2", "F14128-q1") == {"F14128-q1": "Propriétaire"}
    assert _labels(kb, "F14128", "le premier", "F14128-q4") == {"F14128-q4": "Salarié du secteur privé"}
    assert _labels(kb, "F14128", "oui", None) == {}  # without the question, "oui" says nothing
    assert _labels(kb, "F14128", "proprietaire", "F14128-q3") == {"F14128-q1": "Propriétaire"}


def test_ambiguous_or_unrelated_text(kb: KnowledgeBase) -> None:
    assert _labels(kb, "F14128", "bonjour, pouvez-vous m'aider ?") == {}
    with pytest.raises(KnowledgeBaseError, match="Situation inconnue"):
        kb.match_answers("F0", "je suis locataire")


def test_answers_feed_the_plan(kb: KnowledgeBase) -> None:
    answers = kb.match_answers("F14128", "je déménage, je suis propriétaire et retraité")
    plan = kb.plan(["F14128"], answers)
    assert "F2604" in {item.fiche_id for item in plan.items}
    assert [q.id for q in plan.open_questions] == ["F14128-q3"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oui", True), ("Ouais !", True), ("bien sûr, allez-y", True), ("tout à fait", True),
        ("nan", False), ("non merci", False), ("pas du tout", False), ("absolument pas", False),
        ("oui mais pas maintenant", None), ("peut-être", None), ("", None), ("je sais pas", None),
    ],
)  # fmt: skip
def test_yes_or_no(text: str, expected: bool | None) -> None:
    assert yes_or_no(text) is expected
