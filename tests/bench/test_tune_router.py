"""bench/tune_router.py: the replay of the router over gathered signals, and what it optimises."""

from __future__ import annotations

from assistant.understanding.router import Route, Router, Signals, Thresholds
from bench.tune_router import objective, outcome, replay

ROUTER = Router({"F1": frozenset({"F1", "F10"}), "F2": frozenset({"F2"})}, Thresholds())


def test_only_questions_and_unsure_messages_show_fiches() -> None:
    assert outcome(Route("question", fiches=("F9",))).fiches == ["F9"]
    assert outcome(Route("situations", situations=("F1",), fiches=("F9",))).fiches == []
    assert outcome(None).situations == []  # a greeting: its own rule, no situation


def test_replay_scores_each_item_as_the_evaluation_does() -> None:
    sure = Signals(ranking=[("situation_F1", 0.95)], hits=[])
    pulled = Signals(ranking=[("situation_F2", 0.5)], hits=[("F9", 30.0)])
    items = [
        ("situations", {"situations": ["F1"]}, sure),
        ("questions", {"accepted": ["F9"]}, pulled),
        ("offtopic", {"situations": []}, None),
    ]
    rates = replay(items, ROUTER)
    assert rates["situations"] == {"top1": 1.0, "exact": 1.0}
    assert rates["questions"] == {"linked": 1.0, "no_situation": 1.0}
    assert rates["offtopic"] == {"no_situation": 1.0}


def test_the_objective_counts_situations_twice() -> None:
    perfect = {"situations": {"top1": 1.0, "exact": 1.0}}
    assert objective(perfect) == 3.0
    assert objective({"questions": {"linked": 1.0, "no_situation": 0.5}}) == 1.5
