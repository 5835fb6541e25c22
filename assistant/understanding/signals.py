"""The signals the router reads, gathered from a message's parse and from the knowledge base."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assistant.kb import ContentNode, KnowledgeBase, Situation
from assistant.understanding.router import Router, Segment, Signals, Thresholds, situation_of

SEARCH_DEPTH = 10  # search hits the router sees
SEGMENT_SEARCH_DEPTH = 5  # ... for a stretch of the message
SEGMENT_SEARCH_FROM = 0.5  # a stretch is searched when it names a situation this likely
# Searching a stretch costs about 0.6 ms (61 stretches of the development set); only the stretches
# that name a situation are searched, so a 2,000-character message costs tens of milliseconds.


def related_fiches(situation: Situation) -> frozenset[str]:
    """The situation's own fiche and every fiche its démarches link to, whatever the answers."""
    found = {situation.id}

    def visit(node: ContentNode) -> None:
        found.update(link.id for link in node.links)
        for child in node.children:
            visit(child)

    for node in situation.content:
        visit(node)
    return frozenset(found)


def build_router(kb: KnowledgeBase, thresholds: Thresholds | None = None) -> Router:
    return Router({sid: related_fiches(s) for sid, s in kb.situations.items()}, thresholds or Thresholds())


def ranking_of(entries: Any) -> list[tuple[str, float]]:
    """`[{"name": ..., "confidence": ...}]` from Rasa's parse, as (name, confidence) pairs."""
    pairs = []
    for entry in entries or []:
        if isinstance(entry, Mapping) and entry.get("name"):
            pairs.append((str(entry["name"]), float(entry.get("confidence") or 0.0)))
    return pairs


def read_signals(kb: KnowledgeBase, parse: Mapping[str, Any], text: str, answers_pending: bool) -> Signals:
    """Signals of one typed message: its parse by Rasa, the catalogue search, the glossary."""
    segments = []
    for raw in parse.get("segments") or []:
        if not isinstance(raw, Mapping):
            continue
        ranking = ranking_of(raw.get("ranking"))
        top, confidence = ranking[0] if ranking else ("", 0.0)
        hits = []
        if situation_of(top) is not None and confidence >= SEGMENT_SEARCH_FROM:
            found = kb.search(str(raw.get("text") or ""), limit=SEGMENT_SEARCH_DEPTH)
            hits = [(hit.entry.id, hit.score) for hit in found]
        segments.append(Segment(ranking, hits))
    return Signals(
        ranking=ranking_of(parse.get("intent_ranking")),
        hits=[(hit.entry.id, hit.score) for hit in kb.search(text, limit=SEARCH_DEPTH)] if text else [],
        segments=segments,
        definable=bool(text) and kb.define(text) is not None,
        answers_pending=answers_pending,
    )
