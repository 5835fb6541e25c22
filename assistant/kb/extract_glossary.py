"""Glossary entries from the fiches' ``Definition`` and ``Abreviation`` elements."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.kb.errors import KnowledgeBaseError
from assistant.kb.models import GlossaryEntry, fiche_sort_key
from assistant.kb.nodes import Node, attr, child, child_text, elements, text_of

KINDS = {"Sigle": "sigle", "Acronyme": "acronyme"}
# "Bordereau récapitulatif des cotisations (BRC)": the term and its acronym.
_ACRONYM = re.compile(r"^(.+?)\s*\(((?=[^)]*[A-Z][^)]*[A-Z])[A-Za-z0-9&'.-]{2,12})\)$")


@dataclass(frozen=True)
class GlossaryItem:
    """A definition as met in one fiche."""

    id: str
    term: str
    acronym: str | None
    explanation: str
    kind: str


def glossary_items(root: Node, fiche_id: str) -> list[GlossaryItem]:
    items: list[GlossaryItem] = []
    for node in elements(root):
        name = node.get("name")
        if name not in ("Definition", "Abreviation"):
            continue
        item_id = attr(node, "ID")
        term = child_text(node, "Titre")
        explanation = text_of(child(node, "Texte"))
        if not item_id or not term or not explanation:
            raise KnowledgeBaseError(f"Fiche {fiche_id} : <{name}> incomplet (ID, Titre ou Texte manquant)")
        if name == "Definition":
            match = _ACRONYM.match(term)
            if match:
                items.append(GlossaryItem(item_id, match.group(1), match.group(2), explanation, "définition"))
            else:
                items.append(GlossaryItem(item_id, term, None, explanation, "définition"))
        else:
            kind = KINDS.get(attr(node, "type") or "", "abréviation")
            items.append(GlossaryItem(item_id, term, term, explanation, kind))
    return items


class GlossaryCollector:
    """Merges the definitions met in every fiche (same id = same definition)."""

    def __init__(self) -> None:
        self._items: dict[str, GlossaryItem] = {}
        self._sources: dict[str, set[str]] = {}

    def add(self, root: Node, fiche_id: str) -> None:
        for item in glossary_items(root, fiche_id):
            known = self._items.get(item.id)
            if known is None or (item.explanation, item.term) < (known.explanation, known.term):
                # Keep one version deterministically if two fiches disagree.
                self._items[item.id] = item
            self._sources.setdefault(item.id, set()).add(fiche_id)

    def entries(self, keep: set[str]) -> list[GlossaryEntry]:
        """The merged entries, sources restricted to the fiches in ``keep``."""
        result: list[GlossaryEntry] = []
        for item_id in sorted(self._items, key=fiche_sort_key):
            sources = sorted((s for s in self._sources[item_id] if s in keep), key=fiche_sort_key)
            if not sources:
                continue
            item = self._items[item_id]
            result.append(
                GlossaryEntry(
                    id=item.id,
                    term=item.term,
                    acronym=item.acronym,
                    explanation=item.explanation,
                    kind=item.kind,
                    source_fiche=sources[0],
                    source_fiches=sources,
                )
            )
        return result
