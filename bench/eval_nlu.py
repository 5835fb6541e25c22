"""`make eval-nlu`: train the NLU on data/nlu, test it on the held-out set, compare pipelines.

Writes bench/results/nlu-eval.json and nlu-eval.md: accuracy, macro-F1 (all intents and the 25
situations), per-intent precision/recall/F1, the most confused pairs and the confusable pairs of
the issue. `--cross-validation` adds Rasa's 3-fold cross-validation of the first pipeline.
`--only NAME` evaluates one of the pipelines alone and `--config PATH` any other config file (fast
iteration: the results then go to the terminal only, unless `--out` is given).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
CONFUSABLE = [
    ("F16507", "F17649"), ("F24610", "F31029"), ("F15913", "F16123"), ("F33794", "F23571"),
    ("F32886", "F23961"), ("F17556", "F1700"), ("F2485", "F32823"),
]  # fmt: skip


DIET = {
    "name": "DIETClassifier",
    "epochs": 100,
    "number_of_transformer_layers": 0,
    "entity_recognition": False,
    "constrain_similarities": True,
    "random_seed": 42,
}  # the classifier shipped before LogisticRegressionClassifier
LOGISTIC = {"name": "LogisticRegressionClassifier", "max_iter": 300}


def variants(tmp: Path) -> dict[str, Path]:
    """The pipeline shipped in config.yml first, then the same with the other intent classifier (DIET
    or logistic regression), then the same with the other spaCy model. `make eval-nlu` runs the
    first two; `--only` picks any of them.

    With fr_core_news_md a SpacyFeaturizer adds its word vectors; fr_core_news_sm has none, so
    the sm variant has no SpacyFeaturizer.
    """
    base = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in base["pipeline"]]
    shipped_md = "SpacyFeaturizer" in names
    model = json.loads(json.dumps(base))
    for component in model["pipeline"]:
        if component["name"] == "SpacyNLP":
            component["model"] = "fr_core_news_sm" if shipped_md else "fr_core_news_md"
    if shipped_md:
        model["pipeline"] = [c for c in model["pipeline"] if c["name"] != "SpacyFeaturizer"]
    else:
        index = names.index("SpacyTokenizer")
        model["pipeline"].insert(index + 1, {"name": "SpacyFeaturizer", "pooling": "mean"})
    classifier = json.loads(json.dumps(base))
    shipped_logistic = "LogisticRegressionClassifier" in names
    index = names.index("LogisticRegressionClassifier" if shipped_logistic else "DIETClassifier")
    classifier["pipeline"][index] = DIET if shipped_logistic else LOGISTIC
    spacy = "md + SpacyFeaturizer" if shipped_md else "sm"
    kind = "LogisticRegression" if shipped_logistic else "DIET"
    paths = {
        f"{spacy}, {kind} (config.yml)": ROOT / "config.yml",
        f"{spacy}, {'DIET' if shipped_logistic else 'LogisticRegression'}": tmp / "classifier.yml",
        f"{'sm, no word vectors' if shipped_md else 'md + SpacyFeaturizer'}, {kind}": tmp / "model.yml",
    }
    for (_, path), config in zip(list(paths.items())[1:], (classifier, model), strict=True):
        path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return paths


def rasa(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "rasa", *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def heldout() -> list[tuple[str, str]]:
    """(text, intent) pairs of the held-out file, entity annotations removed."""
    data = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    return [
        (re.sub(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})", r"\1", line.strip()[2:].strip()), item["intent"])
        for item in data["nlu"]
        if "intent" in item
        for line in item["examples"].splitlines()
        if line.strip().startswith("- ")
    ]


def test(model: Path) -> tuple[dict[str, Any], Counter[tuple[str, str]]]:
    """Classify the held-out set with the model; sklearn's report, as `rasa test nlu` writes it.

    `rasa test nlu` deep-copies every parsed message, spaCy document and its vocabulary included,
    which takes seconds a message with fr_core_news_md; parsing through an Agent does not. As
    there, an `nlu_fallback` prediction is replaced by the best intent under it.
    """
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog
    from sklearn.metrics import classification_report

    configure_structlog(logging.WARNING)  # the processor would print every parsed message
    agent = Agent.load(str(model))
    examples = heldout()

    async def parse_all() -> list[tuple[str, bool]]:
        predicted = []
        for text, _ in examples:
            ranking = (await agent.parse_message(text))["intent_ranking"]
            best = next(r["name"] for r in ranking if r["name"] != "nlu_fallback")
            predicted.append((best, ranking[0]["name"] == "nlu_fallback"))
        return predicted

    parsed = asyncio.run(parse_all())
    truth = [intent for _, intent in examples]
    predicted = [intent for intent, _ in parsed]
    report = classification_report(truth, predicted, output_dict=True, zero_division=0)
    report["fallback_rate"] = sum(fallback for _, fallback in parsed) / len(parsed)
    return report, Counter((t, p) for t, p in zip(truth, predicted, strict=True) if t != p)


def evaluate(name: str, config: Path, tmp: Path, data: Path = ROOT / "data" / "nlu") -> dict[str, Any]:
    slug = "".join(ch for ch in name if ch.isalnum())
    started = time.monotonic()
    rasa(
        "train",
        "nlu",
        "--nlu",
        str(data),
        "--config",
        str(config),
        "--out",
        str(tmp),
        "--fixed-model-name",
        slug,
    )
    train_seconds = time.monotonic() - started
    report, pairs = test(tmp / f"{slug}.tar.gz")
    intents = {k: v for k, v in report.items() if isinstance(v, dict) and "support" in v and "avg" not in k}
    situations = [v["f1-score"] for k, v in intents.items() if k.startswith("situation_")]
    return {
        "pipeline": name,
        "train_seconds": round(train_seconds, 1),
        "accuracy": round(report["accuracy"], 3),
        "macro_f1": round(report["macro avg"]["f1-score"], 3),
        "situation_macro_f1": round(sum(situations) / len(situations), 3),
        "fallback_rate": round(report["fallback_rate"], 3),
        "per_intent": {
            k: {m: round(v[m], 3) for m in ("precision", "recall", "f1-score", "support")}
            for k, v in sorted(intents.items())
        },
        "most_confused": [{"true": a, "predicted": b, "count": n} for (a, b), n in pairs.most_common(15)],
        "confusable_pairs": {
            f"{a}/{b}": {
                "a_as_b": pairs[(f"situation_{a}", f"situation_{b}")],
                "b_as_a": pairs[(f"situation_{b}", f"situation_{a}")],
            }
            for a, b in CONFUSABLE
        },
    }


def markdown(results: list[dict[str, Any]], cross_validation: dict[str, Any] | None) -> str:
    lines = ["# NLU evaluation (held-out set: tests/nlu/heldout.yml)", ""]
    lines += [
        "| pipeline | accuracy | macro-F1 | situations macro-F1 | below fallback threshold | training (s) |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {r['pipeline']} | {r['accuracy']} | {r['macro_f1']} | {r['situation_macro_f1']} | "
              f"{r['fallback_rate']} | {r['train_seconds']} |" for r in results]  # fmt: skip
    best = max(results, key=lambda r: (r["situation_macro_f1"], r["macro_f1"]))
    shipped = results[0]
    if best is shipped:
        verdict = (f"Kept: **{shipped['pipeline']}**, the best on the situations macro-F1 and, on a tie, "
                   "on the overall macro-F1.")  # fmt: skip
    else:
        verdict = f"**{best['pipeline']}** scores better than the shipped pipeline: consider switching."
    others = [r for r in results if r is not shipped]
    lines += ["", verdict, "", f"## Per intent ({shipped['pipeline']})", ""]
    lines += ["| intent | precision | recall | F1 | n |" + "".join(f" F1 {r['pipeline']} |" for r in others)]
    lines += ["|---|---|---|---|---|" + "---|" * len(others)]
    lines += [f"| {k} | {v['precision']} | {v['recall']} | {v['f1-score']} | {v['support']} |"
              + "".join(f" {r['per_intent'].get(k, {}).get('f1-score', '')} |" for r in others)
              for k, v in shipped["per_intent"].items()]  # fmt: skip
    lines += ["", "## Most confused", ""] + [
        f"- {p['true']} → {p['predicted']}: {p['count']}" for p in shipped["most_confused"]
    ]
    lines += ["", "## Confusable pairs (errors each way)", ""]
    lines += [f"- {pair}: {v['a_as_b']} / {v['b_as_a']}" for pair, v in shipped["confusable_pairs"].items()]
    if cross_validation:
        lines += ["", f"3-fold cross-validation ({results[0]['pipeline']}): {json.dumps(cross_validation)}"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cross-validation", action="store_true")
    parser.add_argument("--only", metavar="NAME", help="evaluate only the pipeline with this name")
    parser.add_argument("--config", type=Path, action="append", default=[], help="other config")
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "nlu", help="training data")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    partial = bool(args.only or args.config)
    if args.out is None and not partial:
        args.out = ROOT / "bench" / "results"
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        pipelines = variants(tmp)
        if not partial:
            pipelines = dict(list(pipelines.items())[:2])
        else:
            pipelines = {k: v for k, v in pipelines.items() if args.only and args.only in k}
            pipelines |= {str(path): path.resolve() for path in args.config}
            if not pipelines:
                parser.error(f"no pipeline named {args.only!r}: choose among {sorted(variants(tmp))}")
        results = [evaluate(name, path, tmp, args.data.resolve()) for name, path in pipelines.items()]
        cross = None
        if args.cross_validation:
            out = tmp / "cv"
            rasa("test", "nlu", "--nlu", "data/nlu", "--config", "config.yml", "--cross-validation",
                 "--folds", "3", "--out", str(out))  # fmt: skip
            report = json.loads((out / "intent_report.json").read_text())
            cross = {
                "accuracy": round(report["accuracy"], 3),
                "macro_f1": round(report["macro avg"]["f1-score"], 3),
            }
    print(markdown(results, cross))
    if args.out is None:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "nlu-eval.json").write_text(
        json.dumps({"pipelines": results, "cross_validation": cross}, indent=2)
    )
    (args.out / "nlu-eval.md").write_text(markdown(results, cross))
    return 0


if __name__ == "__main__":
    sys.exit(main())
