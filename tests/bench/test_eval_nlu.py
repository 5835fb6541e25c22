"""bench/eval_nlu.py: the pipelines it compares and the held-out examples it reads."""

from __future__ import annotations

from pathlib import Path

import yaml

from bench import eval_nlu
from tests.nlu.test_nlu_data import load_nlu


def _pipeline(path: Path) -> list[dict[str, object]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["pipeline"])


def test_heldout_reads_every_example_without_annotations() -> None:
    examples = eval_nlu.heldout()
    expected = load_nlu(eval_nlu.HELDOUT)
    assert len(examples) == sum(len(v) for v in expected.values())
    assert {intent for _, intent in examples} == set(expected)
    assert not [text for text, _ in examples if "](" in text or "]{" in text or not text]


def test_variants_change_one_thing_each(tmp_path: Path) -> None:
    paths = list(eval_nlu.variants(tmp_path).items())
    assert len(paths) == 3
    (shipped_name, shipped), (_, classifier), (_, model) = paths
    assert shipped == eval_nlu.ROOT / "config.yml" and "config.yml" in shipped_name
    base = _pipeline(shipped)
    names = [c["name"] for c in base]

    other = _pipeline(classifier)
    changed = [(a, b) for a, b in zip(base, other, strict=True) if a != b]
    assert len(changed) == 1
    kinds = {changed[0][0]["name"], changed[0][1]["name"]}
    assert kinds == {"DIETClassifier", "LogisticRegressionClassifier"}

    spacy = _pipeline(model)
    assert ("SpacyFeaturizer" in names) != ("SpacyFeaturizer" in [c["name"] for c in spacy])
    models = {c["model"] for c in base + spacy if c["name"] == "SpacyNLP"}
    assert models == {"fr_core_news_sm", "fr_core_news_md"}
    assert [c for c in spacy if c["name"] not in ("SpacyNLP", "SpacyFeaturizer")] == [
        c for c in base if c["name"] not in ("SpacyNLP", "SpacyFeaturizer")
    ]


def test_shipped_pipeline_keeps_the_fallback_classifier() -> None:
    pipeline = _pipeline(eval_nlu.ROOT / "config.yml")
    assert pipeline[-1]["name"] == "FallbackClassifier"
    assert pipeline[-1]["threshold"] == 0.45
    assert pipeline[-1]["ambiguity_threshold"] == 0.1
