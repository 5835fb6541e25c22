"""The router, as the action server uses it: one per knowledge base, fed from the tracker."""

from __future__ import annotations

import threading

from rasa_sdk import Tracker

from actions.state import typed_text
from assistant.kb import KnowledgeBase
from assistant.understanding.router import Route, Router
from assistant.understanding.signals import build_router, read_signals

_lock = threading.Lock()
_routers: dict[int, tuple[KnowledgeBase, Router]] = {}


def router_for(kb: KnowledgeBase) -> Router:
    """The router built on this knowledge base (built once: it walks every situation)."""
    with _lock:
        cached = _routers.get(id(kb))
        if cached is None or cached[0] is not kb:
            cached = (kb, build_router(kb))
            _routers.clear()
            _routers[id(kb)] = cached
        return cached[1]


def route_message(tracker: Tracker, kb: KnowledgeBase, answers_pending: bool = False) -> Route:
    """What the latest typed message is (see `assistant.understanding.router`)."""
    signals = read_signals(kb, tracker.latest_message, typed_text(tracker), answers_pending)
    return router_for(kb).route(signals)
