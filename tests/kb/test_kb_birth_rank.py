"""The coming child's rank: the first, or another one."""

from __future__ import annotations

import pytest

from assistant.kb import KnowledgeBase
from assistant.kb.birth_rank import read_birth_rank

OTHER_CHILD, NO_OTHER = "F16225-q1-c1", "F16225-q1-c2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ma femme est enceinte de notre deuxième", OTHER_CHILD),
        ("enceinte de mon 2eme enfant", OTHER_CHILD),
        ("bonjour je suis enceinte de mon premier", NO_OTHER),
        ("c'est notre premier bébé", NO_OTHER),
        ("je suis dans mon deuxième mois", None),  # a month, not a child
        ("je suis au premier trimestre", None),
        ("j'attends un bébé", None),
    ],
)
def test_the_rank_of_the_coming_child(kb: KnowledgeBase, text: str, expected: str | None) -> None:
    found = read_birth_rank(kb.situations["F16225"], text)
    assert found == ({"F16225-q1": expected} if expected else {})


def test_read_only_in_a_first_message_or_for_its_question(kb: KnowledgeBase) -> None:
    situation = kb.situations["F16225"]
    assert read_birth_rank(situation, "notre deuxième", asked="F16225-q3") == {}
    assert read_birth_rank(situation, "notre deuxième", asked="F16225-q1") == {"F16225-q1": OTHER_CHILD}
    assert read_birth_rank(kb.situations["F14128"], "notre deuxième") == {}
