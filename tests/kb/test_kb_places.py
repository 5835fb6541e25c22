"""In France or abroad, read from a sentence."""

from __future__ import annotations

import pytest

from assistant.kb import KnowledgeBase
from assistant.kb.places import read_place

FRANCE, ABROAD = "F16507-q1-c1", "F16507-q1-c2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon frère est décédé au Maroc pendant les vacances", ABROAD),
        ("il est mort aux États-Unis", ABROAD),
        ("ma mère est décédée en Inde", ABROAD),
        ("à l'hôpital de Casablanca, au Maroc", ABROAD),  # the country wins over the hospital
        ("il est décédé à l'hôpital de Lyon", FRANCE),
        ("elle est morte à l'Ehpad", FRANCE),
        ("en Guadeloupe", FRANCE),  # overseas France is France
        ("mon père est décédé hier", None),
        ("il était propriétaire de sa maison", None),  # the home answers the housing question
        ("il est mort à Nice", None),  # a city: not known here, the question is asked
    ],
)
def test_where_it_happened(kb: KnowledgeBase, text: str, expected: str | None) -> None:
    found = read_place(kb.situations["F16507"], text)
    assert found == ({"F16507-q1": expected} if expected else {})


def test_only_a_france_or_abroad_question_is_answered(kb: KnowledgeBase) -> None:
    assert read_place(kb.situations["F14128"], "je pars vivre au Maroc") == {}


def test_the_answers_read_from_a_first_message(kb: KnowledgeBase) -> None:
    found = kb.match_answers("F16507", "mon frère est décédé au Maroc pendant les vacances")
    assert found["F16507-q1"] == ABROAD and found["F16507-rel"] == "F16507-rel-c4"


def test_a_country_typed_for_another_question_is_no_place(kb: KnowledgeBase) -> None:
    situation = kb.situations["F16507"]
    assert read_place(situation, "suisse", asked="F16507-q2") == {}
    assert read_place(situation, "au Maroc", asked="F16507-q1") == {"F16507-q1": ABROAD}
