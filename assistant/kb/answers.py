"""``match_answers``: read answers to a situation's questions from free French text.

Purely data-driven: every choice is matched through its label ("Locataire"), its
``IntituleSiSelectionne`` phrase ("Vous êtes retraité") and, for yes/no choices, the
topic of the question ("Avez-vous des enfants à charge ?" -> *enfant*, *charge*) with
negation deciding between yes and no ("je n'ai pas d'enfant"). Matching folds accents
and case, stems words, expands the shared synonym table ("proprio" -> propriétaire,
"fonctionnaire" -> agent public) and ignores the words of the situation's own title
("j'attends un enfant" says nothing about *other* children). A word can only answer one
question; ties are left unanswered rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from assistant.french.edits import distance
from assistant.french.folding import fold
from assistant.french.numbers import parse_ordinal
from assistant.kb.models import Choice, Question, Situation
from assistant.kb.text import STOPWORDS, stem, words

YES = frozenset(
    {"oui", "ouais", "ouai", "ouaip", "ui", "si", "oe", "yes", "yep", "exact", "exactement", "affirmatif",
     "absolument", "effectivement", "evidemment", "carrement", "certes", "parfaitement", "voila"}
)  # fmt: skip
NO = frozenset({"non", "nan", "nn", "no", "nope", "nop", "aucun", "aucune", "jamais", "negatif"})
YES_PHRASES = ("bien sur", "tout a fait", "c est ca", "en effet", "bien entendu", "c est exact")
NO_PHRASES = ("pas du tout", "pas vraiment", "absolument pas", "pas encore", "du tout", "pas de", "pas d")
NEAR_LABEL = 80.0  # rapidfuzz ratio from which a typed word is taken for a choice's label...
NEAR_MARGIN = 10.0  # ... when no other label comes this close to it
NEGATORS = frozenset({"pas", "sans", "aucun", "aucune", "ni", "jamais", "non"})
WEAK = frozenset({"autre", "autres", "situation", "cas", "moins", "plus", "etait", "etaient"})


@dataclass(frozen=True)
class _Pattern:
    stems: tuple[str, ...]
    negated: bool
    label: bool
    phrase: str
    synonym: bool = False


@dataclass(frozen=True)
class _Token:
    stem: str
    position: int
    negated: bool


def _negated_positions(raw: Sequence[str]) -> set[int]:
    negated: set[int] = set()
    for i in range(len(raw)):
        # "non" negates the next word only ("non salarié"); "pardon non, elle était française"
        window = [
            w for j, w in enumerate(raw[max(0, i - 3) : i], start=max(0, i - 3)) if w != "non" or j == i - 1
        ]
        if any(w in NEGATORS for w in window) or (
            "plus" in window and {"n", "ne"} & set(raw[max(0, i - 5) : i])
        ):
            negated.add(i)
    return negated


def _pattern_stems(text: str) -> tuple[str, ...]:
    kept = [
        w for w in words(text) if w not in STOPWORDS and w not in NEGATORS and w not in WEAK and len(w) > 1
    ]
    return tuple(dict.fromkeys(stem(w) for w in kept))


def _is_negative(text: str) -> bool:
    raw = words(text)
    return bool(set(raw) & NEGATORS) or "n" in raw


def _is_yes_no(choice: Choice) -> str | None:
    label = fold(choice.label).strip(" .!")
    return label if label in ("oui", "non") else None


class AnswerMatcher:
    """Built once from the situations; read-only afterwards."""

    def __init__(self, situations: Iterable[Situation], synonyms: Iterable[Sequence[str]] = ()) -> None:
        self.synonyms: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for group in synonyms:
            phrases = [_pattern_stems(phrase) for phrase in group]
            for phrase in phrases:
                if phrase:
                    self.synonyms.setdefault(phrase, []).extend(p for p in phrases if p and p != phrase)
        self.patterns: dict[str, list[tuple[Choice, list[_Pattern]]]] = {}
        self.titles: dict[str, tuple[str, ...]] = {}
        for situation in situations:
            self.titles[situation.id] = _pattern_stems(situation.title)
            for question in situation.questions:
                self.patterns[question.id] = [
                    (choice, [v for p in patterns for v in self._variants(p)])
                    for choice, patterns in self._question_patterns(question)
                ]

    def _variants(self, pattern: _Pattern) -> list[_Pattern]:
        """The pattern and its synonym variants ("agent public" -> "fonctionnaire")."""
        variants = [pattern]
        stems = pattern.stems
        for size in range(len(stems), 0, -1):
            for start in range(len(stems) - size + 1):
                for other in self.synonyms.get(stems[start : start + size], ()):
                    new = tuple(dict.fromkeys((*stems[:start], *other, *stems[start + size :])))
                    variants.append(replace(pattern, stems=new, phrase="", synonym=True))
        return variants

    @staticmethod
    def _question_patterns(question: Question) -> list[tuple[Choice, list[_Pattern]]]:
        topic = _pattern_stems(question.text)
        common = set.intersection(*(set(_pattern_stems(c.selected_phrase)) for c in question.choices))
        result: list[tuple[Choice, list[_Pattern]]] = []
        for choice in question.choices:
            patterns: list[_Pattern] = []
            yes_no = _is_yes_no(choice)
            if yes_no and topic:
                patterns.append(_Pattern(topic, yes_no == "non", False, ""))
            elif not yes_no:
                label = _pattern_stems(choice.label)
                if label:
                    # The exact wording only adds evidence when it carries more than the stems
                    # ("à l'étranger" is a place, "étranger" alone a nationality).
                    raw = words(choice.label)
                    wording = " ".join(raw) if len(raw) > len(label) else ""
                    patterns.append(_Pattern(label, _is_negative(choice.label), True, wording))
            phrase = tuple(s for s in _pattern_stems(choice.selected_phrase) if s not in common or yes_no)
            if phrase:
                patterns.append(_Pattern(phrase, _is_negative(choice.selected_phrase), False, ""))
            result.append((choice, patterns))
        return result

    def _tokens(self, text: str, situation_id: str) -> tuple[list[_Token], str]:
        raw = words(text)
        negated = _negated_positions(raw)
        tokens = [
            _Token(stem(w), i, i in negated)
            for i, w in enumerate(raw)
            if w not in STOPWORDS and w not in NEGATORS
        ]
        title = self.titles.get(situation_id, ())
        if title:
            stems = [t.stem for t in tokens]
            for start in range(len(tokens)):
                if stems[start] == title[0] and all(
                    s in stems[start : start + len(title) + 2] for s in title
                ):
                    drop = {start + stems[start : start + len(title) + 2].index(s) for s in title}
                    tokens = [t for i, t in enumerate(tokens) if i not in drop]
                    break
        return tokens, " ".join(raw)

    @staticmethod
    def _score(pattern: _Pattern, tokens: Sequence[_Token], joined: str) -> tuple[float, frozenset[int]]:
        matched: dict[str, list[_Token]] = {}
        for token in tokens:
            for target in pattern.stems:
                close = token.stem == target or (
                    len(target) >= 6 and len(token.stem) >= 6 and distance(token.stem, target, 1) <= 1
                )
                if close:
                    matched.setdefault(target, []).append(token)
        if not matched:
            return 0.0, frozenset()
        hits = [t for found in matched.values() for t in found]
        if pattern.negated != any(t.negated for t in hits):
            return 0.0, frozenset()
        coverage = len(matched) / len(pattern.stems)
        if pattern.label and pattern.stems[0] in matched:
            coverage = max(coverage, 0.5)
        if coverage < 0.5:
            return 0.0, frozenset()
        score = (coverage if pattern.label else coverage * 0.95) * (1 + 0.05 * len(matched))
        if pattern.synonym:
            score *= 0.97
        if pattern.phrase:
            exact = re.search(rf"\b{re.escape(pattern.phrase)}\b", joined)
            score = score + 0.2 if exact else score * 0.9
        return score, frozenset(t.position for t in hits)

    def match(self, situation: Situation, text: str, question_id: str | None = None) -> dict[str, str]:
        """Question id -> choice id for every question the text answers."""
        tokens, joined = self._tokens(text, situation.id)
        candidates: list[tuple[float, str, str, frozenset[int]]] = []
        for question in situation.questions:
            direct = self._direct(question, text) if question.id == question_id else None
            if direct is not None:  # a bare answer to the question asked says nothing of the others
                return {question.id: direct}
            for choice, patterns in self.patterns.get(question.id, []):
                scored = [self._score(p, tokens, joined) for p in patterns]
                score, evidence = max(scored, default=(0.0, frozenset()), key=lambda item: item[0])
                if score > 0:
                    candidates.append((round(score, 6), question.id, choice.id, evidence))
        candidates.sort(key=lambda item: (-item[0], item[1], item[2]))
        answers: dict[str, str] = {}
        used: set[int] = set()
        blocked: set[str] = set()
        for position, (score, qid, cid, evidence) in enumerate(candidates):
            if qid in answers or qid in blocked or evidence & used:
                continue
            rivals = [
                other
                for other in candidates[position + 1 :]
                if other[0] == score
                and not other[3] & used
                and other[1] not in answers
                and ((other[1] == qid and other[2] != cid) or (other[1] != qid and other[3] & evidence))
            ]
            used |= evidence
            if rivals:
                if any(other[1] == qid for other in rivals):
                    blocked.add(qid)
                continue
            answers[qid] = cid
        return {q.id: answers[q.id] for q in situation.questions if q.id in answers}

    @staticmethod
    def _direct(question: Question, text: str) -> str | None:
        """Answers only valid when this question was just asked: "oui", "2", "le premier"."""
        raw = words(text)
        if not raw:
            return None
        labels = {_is_yes_no(choice): choice.id for choice in question.choices}
        joined = " ".join(raw) + " "
        said_yes = raw[0] in YES or joined.startswith(tuple(p + " " for p in YES_PHRASES))
        if "oui" in labels and said_yes and not set(raw[1:]) & NEGATORS:
            return labels["oui"]
        if "non" in labels and (raw[0] in NO or joined.startswith(tuple(p + " " for p in NO_PHRASES))):
            return labels["non"]
        typed = " ".join(raw)
        labels_typed = {c.id: " ".join(words(re.sub(r"\(.*?\)", " ", c.label))) for c in question.choices}
        for choice_id, label in labels_typed.items():  # the label itself, typed ("autre situation", "marie")
            if typed == label:
                return choice_id
        near = _near_label(typed, labels_typed)
        if near is not None:
            return near
        rank = raw[-1] if raw[0] in ("le", "la") else raw[0]  # "le premier", "deuxieme", "la 2e"
        number = int(raw[0]) if raw[0].isdigit() else parse_ordinal(rank)
        if number is not None and len(raw) <= 3 and 1 <= number <= len(question.choices):
            return question.choices[number - 1].id
        return None


def _near_label(typed: str, labels: dict[str, str]) -> str | None:
    """The one choice a short typed answer stands for: a misspelt label ("locatair",
    "proprietere") or its beginning ("fr", "etr", "retrai"). Only short answers (three words
    at most) and only when no other label is as close: a sentence is left to the matcher."""
    if not typed or len(typed.split()) > 3:
        return None
    prefixed = [cid for cid, label in labels.items() if len(typed) >= 2 and label.startswith(typed)]
    if len(prefixed) == 1:
        return prefixed[0]
    scores = sorted(((fuzz.ratio(typed, label), cid) for cid, label in labels.items()), reverse=True)
    if not scores or scores[0][0] < NEAR_LABEL:
        return None
    if len(scores) > 1 and scores[0][0] - scores[1][0] < NEAR_MARGIN:
        return None
    return scores[0][1]


def yes_or_no(text: str) -> bool | None:
    """True for "oui", "ouais", "bien sûr, allez-y"; False for "nan", "pas du tout"; else None."""
    raw = words(text)
    if not raw:
        return None
    joined = " ".join(raw) + " "
    if raw[0] in NO or joined.startswith(tuple(p + " " for p in NO_PHRASES)):
        return False
    if raw[0] in YES or joined.startswith(tuple(p + " " for p in YES_PHRASES)):
        return None if set(raw[1:]) & NEGATORS else True  # "oui mais pas maintenant": unclear
    return None
