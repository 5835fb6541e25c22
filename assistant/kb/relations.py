"""Who the person is to the situation, when the fiche's content depends on it.

"Décès d'un proche" is written for every relative at once: "En cas de décès de votre époux(se), vous
pouvez demander … une pension de réversion", "Don de jours de repos à un salarié dont l'enfant est
décédé". The fiche asks nothing about it, so the knowledge base adds one question to the situation
(``F16507-rel``: who the deceased was to the person) and gives each link written for one relation
the variable that must hold for it (:func:`requirement`). The rules engine treats that variable as it
treats the fiche's own conditions: the question is asked only when it changes the plan, and is
answered from the first message when it says so ("ma mère est décédée", "mon mari est mort":
:func:`read_relation`). A second, never-asked question records the deceased's gender from those
words, so that labels follow them ("Le défunt était retraité" -> "La défunte était retraitée").
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.french.folding import fold
from assistant.kb.models import Choice, Question

SPOUSE, PARENT, CHILD, OTHER = "REL_CONJOINT", "REL_PARENT", "REL_ENFANT", "REL_AUTRE"
FEMININE, MASCULINE = "GENRE_F", "GENRE_M"
_RELATIONS = (SPOUSE, PARENT, CHILD, OTHER)


def _choice(
    question_id: str, index: int, label: str, phrase: str, var: str, group: tuple[str, ...]
) -> Choice:
    others = [v for v in group if v != var]
    return Choice(f"{question_id}-c{index}", label, phrase, sets_true=[var], sets_false=others)


def _death_questions() -> list[Question]:
    rel, gen = "F16507-rel", "F16507-genre"
    relation = Question(rel, "Lien avec la personne décédée", None, [
        _choice(rel, 1, "Mon conjoint ou partenaire", "La personne décédée était votre conjoint",
                SPOUSE, _RELATIONS),
        _choice(rel, 2, "Mon père ou ma mère", "La personne décédée était votre parent", PARENT, _RELATIONS),
        _choice(rel, 3, "Mon enfant", "La personne décédée était votre enfant", CHILD, _RELATIONS),
        _choice(rel, 4, "Un autre proche", "La personne décédée était un autre proche", OTHER, _RELATIONS),
    ])  # fmt: skip
    gender = Question(gen, "Genre de la personne décédée", None, [
        _choice(gen, 1, "Un homme", "La personne décédée était un homme", MASCULINE, (MASCULINE, FEMININE)),
        _choice(gen, 2, "Une femme", "La personne décédée était une femme", FEMININE, (MASCULINE, FEMININE)),
    ])  # fmt: skip
    return [relation, gender]


def added_questions(situation_id: str) -> list[Question]:
    """The questions the knowledge base adds to a situation, asked before the fiche's own."""
    return _death_questions() if situation_id == "F16507" else []


@lru_cache(maxsize=1)
def _feminine_answers() -> frozenset[tuple[str, str]]:
    """(question id, choice id) of the answers that record the deceased as a woman."""
    return frozenset(
        (question.id, choice.id)
        for question in _death_questions()
        for choice in question.choices
        if FEMININE in choice.sets_true
    )


def says_feminine(answers: dict[str, str]) -> bool:
    """Whether the answers record the deceased as a woman (read once per answer shown)."""
    return any(pair in _feminine_answers() for pair in answers.items())


# Words of a sentence, its list's lead or the linked fiche's title that say for whom a link is written.
_FOR = {
    "F16507": (
        (SPOUSE, re.compile(
            r"\b(?:votre (?:epoux|epouse|conjoint|partenaire|concubin)|veuvage|veuf|veuve|reversion|"
            r"conjoint survivant|enfants mineurs|couple pacse|des concubins)\b"
        )),
        (CHILD, re.compile(r"\b(?:dont l'enfant est decede|deces d'un enfant|enfant decede)\b")),
    ),
}  # fmt: skip


def requirement(situation_id: str, sentence: str, lead: str, title: str) -> str | None:
    """The relation variable a link needs, from its sentence, its list's lead and its fiche's title;
    ``None`` when it is for anyone. The deceased child is read from the title only: a sentence that
    lists every relation ("le nombre de jours varie : décès d'un enfant, …") is for anyone."""
    for variable, pattern in _FOR.get(situation_id, ()):
        texts = (title,) if variable == CHILD else (sentence, lead, title)
        if any(pattern.search(fold(text)) for text in texts if text):
            return variable
    return None


_KIN = {
    SPOUSE: (
        r"mari|femme|epoux|epouse|conjointe?|compagnon|compagne|concubine?|partenaire|copain|copine|homme"
    ),
    PARENT: r"pere|mere|papa|maman|daron|daronne",
    CHILD: r"fils|fille|enfant|bebe|garcon|petit garcon|petite fille",
    OTHER: r"frere|soeur|grand-?pere|grand-?mere|papy|papi|mamie|mami|oncle|tonton|tante|tata|cousine?|neveu|"
    r"niece|beau-?pere|belle-?mere|beau-?frere|belle-?soeur|amie?|voisine?|petit-fils|petite-fille|parrain|"
    r"marraine|grand-?parent|belle-?fille|beau-?fils|gendre|ex-mari|ex-femme",
}
_FEMININE_WORDS = re.compile(
    r"^(?:femme|epouse|conjointe|compagne|concubine|copine|mere|maman|daronne|fille|petite fille|soeur|"
    r"grand-?mere|mamie|mami|tante|tata|cousine|niece|belle-?mere|belle-?soeur|amie|voisine|petite-fille|"
    r"marraine|belle-?fille|ex-femme)$"
)
_KINSHIP = re.compile(
    r"\b(?:mon|ma|notre|nos|mes|son|sa) (?:cher |chere |pauvre |petit |petite |vieux |vieille )?"
    r"(?P<word>" + "|".join(f"(?P<{v}>{p})" for v, p in _KIN.items()) + r")\b"
)
# Words that name one's own relative without "mon"/"ma": "décès papa", "maman est partie".
_FAMILIAR = re.compile(
    r"\b(?P<word>" + "|".join(f"(?P<{v}>{p})" for v, p in (
        (PARENT, r"papa|maman|daron|daronne"), (OTHER, r"papy|papi|mamie|mami|tonton|tata"),
    )) + r")\b"
)  # fmt: skip


_DEATH = re.compile(
    r"\b(?:dece\w*|mort\w*|mour\w*|meur\w*|perdu\w*|parti\w*|disparu\w*|obseques|enterrement|funerailles)\b"
)


def read_relation(situation_id: str, text: str, asked: str | None = None) -> dict[str, str]:
    """Answers read from "ma mère est décédée", "c'est mon mari", "mon petit frère": question id ->
    choice id, for the relation and the gender; nothing when the text names no relative."""
    questions = added_questions(situation_id)
    if not questions or not text:
        return {}
    if asked != questions[0].id and not _DEATH.search(fold(text)):
        return {}  # "il était hébergé chez ma sœur" names a relative, not the deceased
    match = _KINSHIP.search(fold(text)) or _FAMILIAR.search(fold(text))
    if match is None:
        return {}
    relation = next(v for v in _KIN if v in match.groupdict() and match.group(v))
    relation_question, gender_question = questions
    answers = {
        relation_question.id: next(c.id for c in relation_question.choices if c.sets_true == [relation])
    }
    word = match.group("word")
    feminine = bool(_FEMININE_WORDS.match(word))
    if word not in ("partenaire", "enfant", "bebe") or re.search(r"\bdecedee\b|\bmorte\b", fold(text)):
        feminine = feminine or bool(re.search(r"\b(?:decedee|morte|partie)\b", fold(text)))
        answers[gender_question.id] = gender_question.choices[1 if feminine else 0].id
    return answers


_AGREEMENT = {
    "retraite": "retraitée", "salarie": "salariée", "francais": "française", "etranger": "étrangère",
    "demandeur": "demandeuse", "marie": "mariée", "pacse": "pacsée", "locataire": "locataire",
    "proprietaire": "propriétaire", "propriètaire": "propriétaire",
}  # fmt: skip
_DECEASED = re.compile(r"\b(L|l)e défunt\b|\b(D|d)u défunt\b|\b(A|a)u défunt\b|\bdéfunt\b")
_AFTER_WAS = re.compile(r"(défunte (?:n'?)?(?:était|est) )(\w+)")


def feminine(text: str) -> str:
    """A label about the deceased, in the feminine: "Le défunt était retraité" -> "La défunte était
    retraitée", "les papiers du défunt" -> "les papiers de la défunte"."""

    def noun(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.lower().startswith("le "):
            return word[0].replace("L", "La").replace("l", "la") + " défunte"
        if word.lower().startswith("du "):
            return ("De" if word[0] == "D" else "de") + " la défunte"
        if word.lower().startswith("au "):
            return ("À" if word[0] == "A" else "à") + " la défunte"
        return "défunte"

    text = _DECEASED.sub(noun, text)
    return _AFTER_WAS.sub(lambda m: m.group(1) + _AGREEMENT.get(fold(m.group(2)), m.group(2)), text)
