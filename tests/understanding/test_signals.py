"""Signals read from Rasa's parse and the knowledge base, and the router built on the real fiches."""

from __future__ import annotations

from assistant.kb import KnowledgeBase
from assistant.understanding.signals import build_router, read_signals, related_fiches

MOVING = "F14128"


def test_a_situation_is_related_to_its_own_fiche_and_the_demarches_it_links(kb: KnowledgeBase) -> None:
    related = related_fiches(kb.situations[MOVING])
    assert MOVING in related
    assert "F1168" in related  # the first démarche of a tenant's move (tests/actions)
    assert all(fid in kb.catalogue or fid in kb.situations for fid in related if fid.startswith("F"))
    assert related != related_fiches(kb.situations["F16225"])


def test_the_parse_becomes_signals(kb: KnowledgeBase) -> None:
    parse = {
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.45},
            {"name": "ask_demarche", "confidence": 0.4},
        ],
        "segments": [
            {"text": "on attend un bébé", "ranking": [{"name": "situation_F16225", "confidence": 0.9}]},
            {"text": "merci beaucoup", "ranking": [{"name": "thank", "confidence": 0.9}]},
            "not a segment",
        ],
    }
    signals = read_signals(kb, parse, "c'est quoi un préavis", answers_pending=True)
    assert signals.ranking == [("nlu_fallback", 0.45), ("ask_demarche", 0.4)]
    assert signals.definable and signals.answers_pending
    assert signals.hits and signals.hits[0][1] >= signals.hits[-1][1]
    baby, thanks = signals.segments
    assert baby.ranking == [("situation_F16225", 0.9)] and baby.hits[0][0] == "F16225"
    assert thanks.hits == []  # only a stretch that names a situation is searched


def test_nothing_typed_gives_no_search(kb: KnowledgeBase) -> None:
    signals = read_signals(kb, {"intent_ranking": None}, "", answers_pending=False)
    assert signals.ranking == [] and signals.hits == [] and not signals.definable


def test_the_router_on_the_real_fiches_tells_a_question_from_a_situation(kb: KnowledgeBase) -> None:
    router = build_router(kb)
    ranking = [{"name": "situation_F14128", "confidence": 0.6}, {"name": "ask_demarche", "confidence": 0.3}]
    moving = router.route(read_signals(kb, {"intent_ranking": ranking}, "on déménage bientôt", False))
    assert moving.kind == "situations" and moving.situations == (MOVING,)
    question = router.route(read_signals(kb, {"intent_ranking": ranking}, "ma carte grise est perdue", False))
    assert question.kind == "question" and question.candidates == (MOVING,)
    assert question.fiches and MOVING not in question.fiches
