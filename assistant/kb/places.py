"""In France or abroad, read from the words: "il est décédé au Maroc", "à l'hôpital de Lyon".

"Où le décès a-t-il eu lieu ?" (a question whose choices are "En France" and "À l'étranger") is
answered in sentences. A country other than France, by its French name, says abroad; the names
come from Babel's territory names (CLDR, maintained), France's overseas departments and
collectivities counting as France. "En France", or a place of care ("à l'hôpital de Nantes",
"à l'Ehpad") with no foreign country named, says France: a person who died
in a hospital abroad names the country, as the people who wrote our test conversations did.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale

from assistant.french.folding import fold
from assistant.kb.models import Question, Situation

# France and the overseas territories that are France (DROM and COM)
_FRANCE = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "TF", "CP"})
# Places of care: not the home, whose words answer the housing question ("propriétaire de sa maison").
_CARE = re.compile(r"\ben france\b|\bhopital\b|\bclinique\b|\behpad\b|\bmaison de retraite\b|\bmetropole\b")


@lru_cache(maxsize=1)
def _countries() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Foreign countries, and the overseas names that are France, as folded word patterns."""
    names = Locale("fr").territories
    foreign = [fold(n) for code, n in names.items() if code.isalpha() and code not in _FRANCE]
    france = [fold(n) for code, n in names.items() if code in _FRANCE]

    def words(found: list[str]) -> re.Pattern[str]:
        alternation = "|".join(re.escape(n) for n in sorted(found, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")

    return words(foreign), words(france)


def _place_question(situation: Situation) -> tuple[Question, str, str] | None:
    """The question asking France or abroad, with the ids of those two choices."""
    for question in situation.questions:
        labels = {fold(c.label): c.id for c in question.choices}
        if "en france" in labels and "a l'etranger" in labels:
            return question, labels["en france"], labels["a l'etranger"]
    return None


def read_place(situation: Situation, text: str, asked: str | None = None) -> dict[str, str]:
    """Question id -> choice id when the text says where it happened; nothing otherwise. While
    another question is asked, nothing: "suisse" typed for the nationality is no place."""
    found = _place_question(situation)
    if found is None or not text or asked not in (None, found[0].id):
        return {}
    question, france, abroad = found
    folded = fold(text)
    foreign, overseas = _countries()
    if foreign.search(folded):
        return {question.id: abroad}
    if overseas.search(folded) or _CARE.search(folded):
        return {question.id: france}
    return {}
