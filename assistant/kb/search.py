"""Free-text search over the catalogue: BM25 with French-aware matching.

* accent folding and a light stemmer (:mod:`assistant.kb.text`); number words read as digits
  ("deux", "deuxième" -> 2, :mod:`assistant.french.numbers`);
* BM25F: title (weight 3) and body (theme path, description) normalised separately;
* pages whose whole title the question covers are boosted (the page *about* the topic);
* acronyms and synonyms expanded from a data table (``synonyms.json``);
* typo tolerance: an unknown word is replaced by the closest known words
  (:meth:`SearchIndex._correct`, candidates from :mod:`assistant.french.edits`).

The index is built once at load time and is read-only afterwards (thread-safe).
"""

from __future__ import annotations

import heapq
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from rapidfuzz.distance import Indel

from assistant.french.edits import Vocabulary
from assistant.french.numbers import parse_number
from assistant.kb.errors import KnowledgeBaseError
from assistant.kb.models import CatalogueEntry
from assistant.kb.text import STOPWORDS, stem, words

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 3
EXPANSION_WEIGHT = 0.5
TYPO_WEIGHT = 0.8
COVERAGE_BOOST = 0.5
RERANK = 100
KIND_PRIOR = {
    "fiche d'information": 1.0, "question-réponse": 1.0, "comment faire si": 1.05, "dossier": 0.9,
    "téléservice": 0.9, "formulaire": 0.85, "modèle de document": 0.85, "simulateur": 0.85,
    "thème": 0.6, "recherche guidée": 0.5, "outil de recherche": 0.8, "fiche avec liens externes": 0.85,
}  # fmt: skip


@dataclass(frozen=True)
class SearchHit:
    entry: CatalogueEntry
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"entry": self.entry.to_dict(), "score": round(self.score, 4)}


def load_synonyms(key: str = "groups") -> list[list[str]]:
    """The synonym groups shipped with the package (``assistant/kb/synonyms.json``): `groups` for
    the search and the answers, `answer_groups` for the answers only."""
    try:
        raw = json.loads(resources.files("assistant.kb").joinpath("synonyms.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise KnowledgeBaseError(f"Table des synonymes illisible ({exc})") from exc
    groups = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(groups, list):
        raise KnowledgeBaseError(f"Table des synonymes : clé '{key}' (liste de listes) attendue")
    return [[str(phrase) for phrase in group] for group in groups]


@lru_cache(maxsize=131072)
def _term(word: str) -> str:
    """The index term of a folded word, ``""`` for a stop word; a number word is its digits."""
    if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
        return ""
    number = None if word.isdigit() else parse_number(word, ordinals=True)
    return stem(word) if number is None else str(number)


def _terms_of(tokens: Iterable[str]) -> list[str]:
    return [term for term in map(_term, tokens) if term]


def _terms(text: str) -> list[str]:
    return _terms_of(words(text))


def _one_deletion_apart(a: str, b: str) -> bool:
    """Whether deleting at most one letter from each word makes them equal."""
    return abs(len(a) - len(b)) <= 1 and Indel.distance(a, b, score_cutoff=2) <= 2


def _trigrams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _counts(terms: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for term in terms:
        counts[term] = counts.get(term, 0) + 1
    return counts


class SearchIndex:
    def __init__(self, entries: Sequence[CatalogueEntry], synonyms: Iterable[Sequence[str]] = ()) -> None:
        self.entries = list(entries)
        titles: list[list[str]] = []
        bodies: list[list[str]] = []
        surface: Counter[str] = Counter()
        for entry in self.entries:
            title_words, description_words = words(entry.title), words(entry.description)
            levels = " ".join(level.strip() for level in entry.theme.split(" > ")[1:-1])
            titles.append(_terms_of(title_words))
            bodies.append(_terms_of(words(levels)) + _terms_of(description_words))
            surface.update({w for w in (*title_words, *description_words) if len(w) > 3})
        average_title = sum(map(len, titles)) / max(1, len(titles)) or 1.0
        average_body = sum(map(len, bodies)) / max(1, len(bodies)) or 1.0
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        saturation = K1 + 1
        for position, (title, body) in enumerate(zip(titles, bodies, strict=True)):
            # BM25F: per-field length normalisation, then one saturation over the weighted sum.
            title_factor = TITLE_WEIGHT / (1 - B + B * len(title) / average_title)
            body_factor = 1 / (1 - B + B * len(body) / average_body)
            pseudo = {term: count * title_factor for term, count in _counts(title).items()}
            for term, count in _counts(body).items():
                pseudo[term] = pseudo.get(term, 0.0) + count * body_factor
            for term, value in pseudo.items():
                postings[term][position] = value * saturation / (value + K1)
        self.titles = [frozenset(title) for title in titles]
        self.postings = dict(postings)
        total = len(self.entries)
        self.idf = {
            term: math.log(1 + (total - len(docs) + 0.5) / (len(docs) + 0.5))
            for term, docs in self.postings.items()
        }
        self.words = Vocabulary(surface)
        self.synonyms: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for group in synonyms:
            phrases = [tuple(_terms(phrase)) for phrase in group]
            for phrase in phrases:
                if phrase:
                    others = [other for other in phrases if other and other != phrase]
                    self.synonyms.setdefault(phrase, []).extend(others)

    def _correct(self, word: str) -> list[str]:
        """The (at most two) most frequent known words among the closest to ``word``.

        Under 7 letters, one edit away. From 7 letters, two edits: those that delete at most one
        letter on each side (one edit, or one insertion and one deletion); if there are none, any
        two edits that keep half of the word's letter trigrams.
        """
        limit = 2 if len(word) >= 7 else 1
        candidates = self.words.candidates(word, limit)
        close = [c for c in candidates if _one_deletion_apart(word, c.word)]
        if not close and limit == 2:
            grams = _trigrams(word)
            close = [c for c in candidates if len(grams & _trigrams(c.word)) >= len(grams) // 2]
        return [c.word for c in close if c.distance == close[0].distance][:2]

    def query_terms(self, query: str) -> dict[str, float]:
        """Weighted stems of a query: its words, typo corrections and synonym expansions."""
        weights: dict[str, float] = {}
        sequence: list[str] = []
        for word in words(query):
            if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
                continue
            term = _term(word)
            sequence.append(term)
            if term in self.postings or word.isdigit() or len(word) < 4:
                weights[term] = max(weights.get(term, 0.0), 1.0)
                continue
            for fixed in self._correct(word):
                fixed_term = _term(fixed) or stem(fixed)
                weights[fixed_term] = max(weights.get(fixed_term, 0.0), TYPO_WEIGHT)
                sequence[-1] = fixed_term
        for size in (3, 2, 1):
            for start in range(len(sequence) - size + 1):
                for other in self.synonyms.get(tuple(sequence[start : start + size]), ()):
                    for term in other:
                        weights[term] = max(weights.get(term, 0.0), EXPANSION_WEIGHT)
        return weights

    def search(self, query: str, limit: int = 5, audience: str | None = None) -> list[SearchHit]:
        weights = self.query_terms(query)
        scores: dict[int, float] = defaultdict(float)
        for term, weight in weights.items():
            docs = self.postings.get(term)
            if not docs:
                continue
            factor = weight * self.idf[term]
            for position, value in docs.items():
                scores[position] += factor * value
        if audience is not None:
            scores = {p: v for p, v in scores.items() if audience in self.entries[p].audiences}
        asked = set(weights)
        # Boost and prior re-rank the best raw scores only (bounded boosts: enough in practice).
        pool = heapq.nlargest(max(RERANK, limit * 10), scores.items(), key=lambda item: (item[1], -item[0]))
        ranked: list[tuple[float, int]] = []
        for position, score in pool:
            entry = self.entries[position]
            title = self.titles[position]
            # A title the question covers entirely is the page about exactly that topic.
            coverage = len(title & asked) / len(title) if title else 0.0
            boost = 1 + COVERAGE_BOOST * coverage
            ranked.append((score * boost * KIND_PRIOR.get(entry.kind, 1.0), position))
        ranked.sort(key=lambda item: (-item[0], item[1]))
        return [SearchHit(entry=self.entries[position], score=score) for score, position in ranked[:limit]]
