"""Direct questions answered from the knowledge base: the best official fiches for a démarche,
and plain-French definitions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.kb import get_kb
from actions.state import DialogueState, response_text, typed_text
from actions.understanding import route_message
from assistant.kb import KnowledgeBase
from assistant.kb.models import CatalogueEntry

MAX_RESULTS = 3
MIN_SCORE = 8.0  # below this, a hit shares only common words with the question
RELATIVE_CUTOFF = 0.6  # keep hits scoring at least this share of the best one


def fiche_payload(entry: CatalogueEntry) -> dict[str, Any]:
    return {
        "fiche_id": entry.id,
        "title": entry.title,
        "explanation": entry.description,
        "url": entry.url,
        "cerfa": list(entry.cerfa),
        "kind": entry.kind,
    }


def fiche_cards(query: str, entries: list[CatalogueEntry], in_situation: bool) -> dict[str, Any]:
    """The card of fiches a direct question gets (and an unclear message, before the buttons)."""
    return {
        "type": "fiches",
        "query": query,
        "results": [fiche_payload(e) for e in entries[:MAX_RESULTS]],
        "in_situation": in_situation,
    }


def best_fiches(kb: KnowledgeBase, question: str, plan_ids: list[str]) -> list[CatalogueEntry]:
    """Catalogue search; fiches of the person's own plan come first when they match as well."""
    hits = [h for h in kb.search(question, limit=10) if h.score >= MIN_SCORE]
    if not hits:
        return []
    best = hits[0].score
    hits = [h for h in hits if h.score >= best * RELATIVE_CUTOFF]
    hits.sort(key=lambda h: (h.entry.id not in plan_ids, -h.score))
    return [h.entry for h in hits[:MAX_RESULTS]]


def search_answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[EventType]:
    kb = get_kb()
    question = typed_text(tracker)
    state = DialogueState.from_tracker(tracker)
    route = route_message(tracker, kb) if question else None
    if route is not None and route.kind == "situations" and state.pending_question is None:
        return [FollowupAction("action_situation")]  # the classifier took a life story for a question
    plan_ids = [i["fiche_id"] for i in tracker.get_slot("plan") or [] if isinstance(i, dict)]
    entries = kb.find_cerfa(question) or best_fiches(kb, question, plan_ids) if question else []
    if not entries:
        dispatcher.utter_message(response="utter_search_nothing")
        return []
    dispatcher.utter_message(json_message=fiche_cards(question, entries, bool(state.situations)))
    candidates = [sid for sid in (route.candidates if route else ()) if sid in kb.situations]
    if candidates and not state.situations:  # the question may be part of a wider situation
        buttons = [{"title": kb.situations[s].title, "payload": f"/situation_{s}"} for s in candidates]
        buttons.append({"title": response_text(domain, "utter_none_of_these"), "payload": "/deny"})
        dispatcher.utter_message(response="utter_ask_situation_after_fiches", buttons=buttons)
    return []


def define_answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[EventType]:
    """The glossary's definition with its source, else the search's fiches."""
    kb = get_kb()
    text = typed_text(tracker)
    entry = kb.define(text) if text else None
    if entry is None:
        return search_answer(dispatcher, tracker, domain)
    dispatcher.utter_message(response="utter_definition", term=entry.term, explanation=entry.explanation)
    source = kb.catalogue.get(entry.source_fiche)
    if source is not None:
        dispatcher.utter_message(
            response="utter_definition_source", source_title=source.title, source_url=source.url
        )
    return []
