"""Edit candidates from rapidfuzz against comparing every word with a textbook distance."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from assistant.french.edits import Candidate, Vocabulary, distance
from tests.french.reference import one_edit_forms, osa_distance

COUNTS = {
    "retraite": 9, "retrait": 1, "retraites": 2, "traite": 3, "enceinte": 5, "enfant": 12, "enfants": 8,
    "emploi": 7, "emplois": 2, "naissance": 6, "naissances": 1, "deces": 4, "demenagement": 3,
    "demenager": 2, "mariage": 5, "marier": 2, "pacs": 3, "logement": 8, "loyer": 4, "location": 2,
    "allocation": 6, "allocations": 3, "caf": 9, "carte": 7, "grise": 4, "grosse": 1, "passeport": 3,
    "association": 4, "entreprise": 5, "entrepreneur": 2, "travail": 6, "travaux": 2, "chomage": 5,
    "handicap": 2, "bourse": 2, "course": 1, "cours": 3, "heritage": 2, "succession": 3,
}  # fmt: skip
VOCABULARY = Vocabulary(COUNTS)
WORDS = st.text(alphabet="aeinrst", max_size=9)


def brute_force(word: str, limit: int) -> list[Candidate]:
    scored = [Candidate(osa_distance(word, known), count, known) for known, count in COUNTS.items()]
    within = [c for c in scored if c.distance <= limit]
    return sorted(within, key=lambda c: (c.distance, -c.frequency, c.word))


@given(WORDS, WORDS)
def test_the_distance_is_the_textbook_one(a: str, b: str) -> None:
    assert distance(a, b) == osa_distance(a, b)
    for limit in (0, 1, 2):
        assert distance(a, b, limit) == min(osa_distance(a, b), limit + 1)


def test_a_swap_of_neighbours_is_one_edit() -> None:
    assert distance("retraite", "rertaite") == 1
    assert distance("ca", "abc") == 3  # no letter edited twice (Damerau-Levenshtein would say 2)


def test_candidates_of_generated_edits_are_those_of_comparing_every_word() -> None:
    """Every one-edit form of every word, and a sample of two-edit forms, with both bounds."""
    alphabet = "aeilnrst"
    queries = {form for word in COUNTS for form in one_edit_forms(word, alphabet)}
    rng = random.Random(5)
    queries |= {rng.choice(sorted(one_edit_forms(q, alphabet))) for q in rng.sample(sorted(queries), 1500)}
    matched = 0
    for query in sorted(queries):
        for limit in (1, 2):
            expected = brute_force(query, limit)
            assert VOCABULARY.candidates(query, limit) == expected, (query, limit)
            matched += bool(expected)
    assert len(queries) > 5000 and matched > 5000


def test_candidates_are_ranked_by_distance_then_count_then_word() -> None:
    assert VOCABULARY.candidates("retraitee", 2) == [
        Candidate(1, 9, "retraite"),
        Candidate(1, 2, "retraites"),
        Candidate(2, 1, "retrait"),
    ]
    assert [c.word for c in VOCABULARY.candidates("cours", 1)] == ["cours", "course"]  # itself first
    assert VOCABULARY.candidates("zzzz", 2) == []
    assert "caf" in VOCABULARY and "cafe" not in VOCABULARY and len(VOCABULARY) == len(COUNTS)
