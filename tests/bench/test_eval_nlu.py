"""bench/understanding.py: what counts as understood, per category, and the sets it reads."""

from __future__ import annotations

from typing import Any

import pytest

from bench.understanding import (
    CATEGORIES,
    Outcome,
    Report,
    classifier_outcome,
    evaluate,
    linked_fiches,
    load_set,
    score,
)

FICHE_CARD = {
    "role": "bot",
    "text": None,
    "custom": {
        "type": "fiches",
        "results": [{"fiche_id": "F1", "url": "https://x.fr/particuliers/vosdroits/F1618"}],
    },
}


def test_links_come_from_urls_not_from_buttons() -> None:
    messages: list[dict[str, Any]] = [
        FICHE_CARD,
        {"text": "1. Pacs\n   https://www.service-public.fr/particuliers/vosdroits/R46162", "custom": None},
        {"text": "Votre situation ?", "buttons": [{"payload": "/situation_F16225"}], "custom": None},
        {"text": "Lien court : /l/F1341", "custom": None},
    ]
    assert linked_fiches(messages) == ["F1618", "R46162", "F1341"]


@pytest.mark.parametrize(
    ("category", "item", "outcome", "expected"),
    [
        ("situations", {"situations": ["F601"]}, Outcome(["F601"], []), {"top1": True, "exact": True}),
        (
            "situations",
            {"situations": ["F601"]},
            Outcome(["F601", "F1700"], []),
            {"top1": True, "exact": False},
        ),
        (
            "situations",
            {"situations": ["F601"]},
            Outcome(["F1700", "F601"], []),
            {"top1": False, "exact": False},
        ),
        ("situations", {"situations": ["F601"]}, Outcome([], []), {"top1": False, "exact": False}),
        (
            "long",
            {"situations": ["F601", "F16225"]},
            Outcome(["F16225"], []),
            {"top1": False, "exact": False},
        ),
        (
            "multi",
            {"situations": ["F601", "F16225"]},
            Outcome(["F16225", "F601"], []),
            {"all": True, "top1": True},
        ),
        ("multi", {"situations": ["F601", "F16225"]}, Outcome(["F601"], []), {"all": False, "top1": True}),
        (
            "questions",
            {"accepted": ["F1618", "R46162"]},
            Outcome([], ["F2", "R46162"]),
            {"linked": True, "no_situation": True},
        ),
        (
            "questions",
            {"accepted": ["F1618"]},
            Outcome(["F17649"], ["F17649"]),
            {"linked": False, "no_situation": False},
        ),
        ("offtopic", {"situations": []}, Outcome(["F601"], []), {"no_situation": False}),
    ],
)
def test_score(category: str, item: dict[str, Any], outcome: Outcome, expected: dict[str, bool]) -> None:
    assert score(category, item, outcome) == expected


def test_classifier_outcome_skips_the_fallback_and_reads_only_situations() -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "situation_F601", "confidence": 0.3}]
    assert classifier_outcome({"intent_ranking": ranking}).situations == ["F601"]
    assert (
        classifier_outcome({"intent_ranking": [{"name": "ask_demarche", "confidence": 0.9}]}).situations == []
    )


def test_evaluate_counts_rates_and_keeps_errors_only_when_asked() -> None:
    sets = {"offtopic": [{"text": "bonjour"}, {"text": "je déménage"}, {"text": "non lu"}]}

    def run(text: str) -> Outcome:
        return Outcome(["F14128"] if "déménage" in text else [], [])

    report = evaluate(sets, run, keep_errors=True, limit=2)
    assert report.counts == {"offtopic": {"no_situation": [1, 2]}}
    assert report.rates() == {"offtopic": {"no_situation": 0.5}}
    assert [e["text"] for e in report.errors] == ["je déménage"]
    assert evaluate(sets, run, keep_errors=False).errors == []
    assert isinstance(Report().rates(), dict)


@pytest.mark.parametrize("split", ["dev", "test"])
def test_sets_hold_every_category_with_known_ids(split: str) -> None:
    sets = load_set(split)
    assert set(sets) == set(CATEGORIES)
    minimum = {"dev": {"situations": 150, "questions": 50}, "test": {"situations": 250, "questions": 80}}[
        split
    ]
    for category, count in minimum.items():
        assert len(sets[category]) >= count
    assert all(len(i["situations"]) == 2 for i in sets["multi"])
    assert all(not i["situations"] for i in sets["offtopic"])
    assert all(i["accepted"] for i in sets["questions"])


def test_search_rates_count_the_first_and_the_first_three() -> None:
    from bench.understanding import search_rates

    results = {"a": ["F1", "F2", "F3"], "b": ["F9", "F8", "F1"], "c": ["F7", "F6", "F5", "F1"]}
    items = [{"text": t, "accepted": ["F1"]} for t in results]
    assert search_rates(items, results.__getitem__) == {"top1": 0.333, "top3": 0.667}
    assert search_rates([], results.__getitem__) == {"top1": 0.0, "top3": 0.0}
