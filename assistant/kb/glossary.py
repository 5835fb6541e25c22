"""``define()``: answer "c'est quoi un préavis ?" from the fiches' glossary."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.french.edits import distance as damerau_distance
from assistant.kb.models import GlossaryEntry
from assistant.kb.text import stem, words

# Question wording around the term, as folded word sequences.
_PREFIXES = [
    tuple(phrase.split())
    for phrase in (
        "bonjour", "alors", "euh", "mais", "svp", "dites moi", "dis moi", "explique moi", "expliquez moi",
        "je ne comprends pas", "je comprends pas", "c est quoi", "cest quoi", "qu est ce que c est que",
        "qu est ce que c est", "qu est ce que", "qu est ce qu", "que veut dire", "que signifie",
        "ca veut dire quoi", "definition", "definir", "definis", "signification", "le sens de", "sens de",
    )
]  # fmt: skip
_SUFFIXES = [
    tuple(phrase.split())
    for phrase in ("veut dire quoi", "ca veut dire quoi", "signifie quoi", "c est quoi", "exactement", "svp",
                   "merci", "s il vous plait", "s il te plait")
]  # fmt: skip
_ARTICLES = frozenset(
    {"un", "une", "le", "la", "les", "l", "des", "du", "de", "d", "ce", "cette", "cet", "qu", "que"}
)
_PREFIXES.sort(key=len, reverse=True)
_SUFFIXES.sort(key=len, reverse=True)


def _key(text: str) -> str:
    return " ".join(words(text))


def term_of(question: str) -> str:
    """The term asked about: question words, articles and punctuation removed."""
    tokens = words(question)
    changed = True
    while changed and tokens:
        changed = False
        for phrase in _PREFIXES:
            if tuple(tokens[: len(phrase)]) == phrase:
                tokens, changed = tokens[len(phrase) :], True
        for phrase in _SUFFIXES:
            if len(tokens) > len(phrase) and tuple(tokens[-len(phrase) :]) == phrase:
                tokens, changed = tokens[: -len(phrase)], True
        while tokens and tokens[0] in _ARTICLES:
            tokens, changed = tokens[1:], True
    return " ".join(tokens)


class Glossary:
    """Lookup over the glossary entries; read-only after construction."""

    def __init__(self, entries: Sequence[GlossaryEntry]) -> None:
        self.entries = list(entries)
        self._exact: dict[str, list[GlossaryEntry]] = {}
        for entry in self.entries:
            for name in {_key(entry.term), _key(entry.acronym or "")} - {""}:
                self._exact.setdefault(name, []).append(entry)
        self._stems = [
            (frozenset(stem(w) for w in words(e.term) if w not in _ARTICLES), e) for e in self.entries
        ]

    @staticmethod
    def _best(candidates: Sequence[GlossaryEntry]) -> GlossaryEntry:
        """Prefer definitions, then the most quoted entry, then the shortest term."""
        return min(
            candidates,
            key=lambda e: (e.kind != "définition", -len(e.source_fiches), len(e.term), e.id),
        )

    def define(self, text: str) -> GlossaryEntry | None:
        key = term_of(text)
        if not key:
            return None
        if key in self._exact:
            return self._best(self._exact[key])
        wanted = frozenset(stem(w) for w in key.split() if w not in _ARTICLES)
        if wanted and len(wanted) <= 6:
            containing = [(len(stems), e) for stems, e in self._stems if wanted <= stems]
            if containing:
                fewest = min(size for size, _ in containing)
                return self._best([e for size, e in containing if size == fewest])
        if len(key) < 4:
            return None
        limit = 2 if len(key) >= 8 else 1
        close = [
            entry
            for name, entries in self._exact.items()
            if name[:1] == key[:1]
            and abs(len(name) - len(key)) <= limit
            and damerau_distance(name, key, limit) <= limit
            for entry in entries
        ]
        return self._best(close) if close else None
