"""Whether a coming child is the first, read from the words: "enceinte de mon premier", "notre deuxième".

"Avez-vous un autre enfant à charge ?" is answered before it is asked by people who count their
children: "je suis enceinte de mon premier" (no other child), "ma femme est enceinte de notre
deuxième" (one already). Read in a first message or when that question is asked.
"""

from __future__ import annotations

import re

from assistant.french.folding import fold
from assistant.kb.models import Question, Situation

_OWNER = r"\b(?:mon|ma|notre|son|sa|du|de notre|de mon)\s+"
_FIRST = re.compile(
    _OWNER + r"(?:premier|premiere|1er|1ere)\b(?!\s+(?:trimestre|mois|semaine|rendez|echographie))"
)
_LATER = re.compile(
    _OWNER
    + r"(?:deuxieme|second|seconde|2e|2eme|2nd|troisieme|3e|3eme|quatrieme|4e|4eme|cinquieme|5e|5eme)\b"
    r"(?!\s+(?:trimestre|mois|semaine|rendez|echographie))"
)


def _other_child_question(situation: Situation) -> Question | None:
    for question in situation.questions:
        labels = {fold(c.label) for c in question.choices}
        if "autre enfant" in fold(question.text) and labels == {"oui", "non"}:
            return question
    return None


def read_birth_rank(situation: Situation, text: str, asked: str | None = None) -> dict[str, str]:
    """Question id -> choice id ("Oui" / "Non") when the text ranks the coming child."""
    question = _other_child_question(situation)
    if question is None or not text or asked not in (None, question.id):
        return {}
    folded = fold(text)
    answer = "oui" if _LATER.search(folded) else "non" if _FIRST.search(folded) else None
    if answer is None:
        return {}
    return {question.id: next(c.id for c in question.choices if fold(c.label) == answer)}
