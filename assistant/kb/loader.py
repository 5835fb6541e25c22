"""Load a built knowledge base and answer questions about it.

``load_knowledge_base(path)`` reads the folder written by ``assistant kb build`` and
builds the search index, the rules engine and the lookups once. The returned
:class:`KnowledgeBase` is read-only: share one instance between threads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from assistant.kb.answers import AnswerMatcher
from assistant.kb.birth_rank import read_birth_rank
from assistant.kb.cerfa import build_cerfa_index, find_cerfa
from assistant.kb.errors import KnowledgeBaseError
from assistant.kb.glossary import Glossary
from assistant.kb.models import CatalogueEntry, GlossaryEntry, Meta, Situation
from assistant.kb.places import read_place
from assistant.kb.plan_model import Plan
from assistant.kb.relations import read_relation
from assistant.kb.rules import RulesEngine
from assistant.kb.search import SearchHit, SearchIndex, load_synonyms


def _read(path: Path, name: str) -> Any:
    file = path / name
    if not file.is_file():
        raise KnowledgeBaseError(
            f"Base de connaissances incomplète : {file} est absent (lancer « assistant kb build »)"
        )
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KnowledgeBaseError(f"Base de connaissances illisible : {file} ({exc})") from exc


def _entries(data: Any, name: str) -> list[dict[str, Any]]:
    items = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise KnowledgeBaseError(f"Base de connaissances illisible : {name} sans liste 'entries'")
    return items


class KnowledgeBase:
    """Situations, catalogue and glossary, with search, rules and lookups."""

    def __init__(
        self,
        meta: Meta,
        situations: Mapping[str, Situation],
        catalogue: Mapping[str, CatalogueEntry],
        glossary: Sequence[GlossaryEntry],
        synonyms: Sequence[Sequence[str]] = (),
        answer_synonyms: Sequence[Sequence[str]] = (),
    ) -> None:
        self.meta = meta
        self.situations: dict[str, Situation] = dict(situations)
        self.catalogue: dict[str, CatalogueEntry] = dict(catalogue)
        self.glossary: list[GlossaryEntry] = list(glossary)
        self._index = SearchIndex(list(self.catalogue.values()), synonyms)
        self._cerfa = build_cerfa_index(self.catalogue.values())
        self._glossary = Glossary(self.glossary)
        self._rules = RulesEngine(self.situations, self.catalogue)
        self._answers = AnswerMatcher(self.situations.values(), [*synonyms, *answer_synonyms])

    def search(self, query: str, limit: int = 5, audience: str | None = None) -> list[SearchHit]:
        """The catalogue fiches best matching a free-text French question."""
        return self._index.search(query, limit=limit, audience=audience)

    def find_cerfa(self, text: str) -> list[CatalogueEntry]:
        """The fiches carrying the cerfa number named in ``text`` ("cerfa 12100", "n°12100*02")."""
        return find_cerfa(text, self._cerfa, self.catalogue)

    def define(self, text: str) -> GlossaryEntry | None:
        """The glossary entry for "c'est quoi un préavis ?", or ``None``."""
        return self._glossary.define(text)

    def plan(
        self, situation_ids: list[str], answers: dict[str, str], event_date: date | None = None,
        today: date | None = None,
    ) -> Plan:  # fmt: skip
        """The personal plan for these situations and answers (see :mod:`assistant.kb.rules`);
        deadlines before ``today`` are said to be past."""
        return self._rules.plan(situation_ids, answers, event_date, today)

    def match_answers(self, situation_id: str, text: str, question_id: str | None = None) -> dict[str, str]:
        """Question id -> choice id read from free text; ``question_id`` is the question just
        asked, for which bare answers ("oui", "non", "2") are accepted too."""
        situation = self.situations.get(situation_id)
        if situation is None:
            raise KnowledgeBaseError(f"Situation inconnue : {situation_id}")
        found = self._answers.match(situation, text, question_id)
        # the matcher's reading of the choices first; places, birth rank and relations fill what it left
        return {
            **read_place(situation, text, question_id),
            **read_birth_rank(situation, text, question_id),
            **found,
            **read_relation(situation_id, text, question_id),
        }


def load_knowledge_base(path: Path) -> KnowledgeBase:
    """Load the knowledge base written by ``assistant kb build`` into ``path``."""
    path = Path(path)
    if not path.is_dir():
        raise KnowledgeBaseError(
            f"Base de connaissances introuvable : {path} (lancer « assistant kb build »)"
        )
    meta_data = _read(path, "meta.json")
    situations_data = _read(path, "situations.json")
    catalogue_data = _entries(_read(path, "catalogue.json"), "catalogue.json")
    glossary_data = _entries(_read(path, "glossary.json"), "glossary.json")
    try:
        meta = Meta.from_dict(meta_data)
        situations = [Situation.from_dict(item) for item in situations_data["situations"]]
        catalogue = [CatalogueEntry.from_dict(item) for item in catalogue_data]
        glossary = [GlossaryEntry.from_dict(item) for item in glossary_data]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise KnowledgeBaseError(
            f"Base de connaissances illisible dans {path} ({type(exc).__name__} : {exc})"
        ) from exc
    return KnowledgeBase(
        meta=meta,
        situations={situation.id: situation for situation in situations},
        catalogue={entry.id: entry for entry in catalogue},
        glossary=glossary,
        synonyms=load_synonyms(),
        answer_synonyms=load_synonyms("answer_groups"),
    )
