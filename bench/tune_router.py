"""Choose the router's thresholds on the development set (`python -m bench.tune_router`).

Parses every message of `data/eval/dev` with the trained model (in-process, as Rasa would),
gathers the router's signals (`assistant.understanding.signals`), then replays the router over a
grid of thresholds and prints the per-category figures of the best settings, scored as
`make eval-nlu` scores them. Only messages whose intent reaches the actions that call the router
are routed; the others (greetings, thanks, out of scope...) keep their own rule and set no
situation, as in the running assistant. On the development set this replay gives the same figures
as the end-to-end run. The frozen test set is never read here.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from assistant.kb import KnowledgeBase, load_knowledge_base
from assistant.understanding.router import Route, Router, Signals, Thresholds
from assistant.understanding.signals import build_router, read_signals
from bench.understanding import Outcome, Report, load_set, score

ROOT = Path(__file__).resolve().parent.parent
ROUTED = {"answer", "affirm", "deny", "nlu_fallback", "ask_demarche", "ask_definition"}
GRID: dict[str, list[Any]] = {
    "sure": [0.6, 0.7, 0.8, 0.9],
    "supported": [0.3, 0.45, 0.6],
    "segment": [0.7, 0.8, 0.9],
    "support_depth": [3, 5],
}
# What matters most: a situation understood, then a question answered without a wrong situation.
WEIGHTS = {
    "situations.top1": 2.0,
    "situations.exact": 1.0,
    "questions.linked": 1.0,
    "questions.no_situation": 1.0,
    "multi.all": 1.0,
    "long.top1": 1.0,
    "offtopic.no_situation": 1.0,
}


def newest_model() -> Path:
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise SystemExit("no trained model: run `make model` first")
    return models[-1]


async def parse_all(texts: list[str], model: Path) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def outcome(route: Route | None) -> Outcome:
    if route is None:
        return Outcome(situations=[], fiches=[])
    shown = list(route.fiches) if route.kind in ("question", "clarify") else []
    return Outcome(situations=list(route.situations), fiches=shown)


def replay(
    items: list[tuple[str, dict[str, Any], Signals | None]], router: Router
) -> dict[str, dict[str, float]]:
    report = Report()
    for category, item, signals in items:
        report.add(category, score(category, item, outcome(router.route(signals) if signals else None)))
    return report.rates()


def objective(rates: dict[str, dict[str, float]]) -> float:
    total = 0.0
    for key, weight in WEIGHTS.items():
        category, name = key.split(".")
        total += weight * rates.get(category, {}).get(name, 0.0)
    return total


def gather(kb: KnowledgeBase, model: Path) -> list[tuple[str, dict[str, Any], Signals | None]]:
    sets = load_set("dev")
    flat = [(category, item) for category, items in sets.items() for item in items]
    parses = asyncio.run(parse_all([item["text"] for _, item in flat], model))
    gathered = []
    for (category, item), parse in zip(flat, parses, strict=True):
        intent = str((parse.get("intent") or {}).get("name") or "")
        routed = intent in ROUTED or intent.startswith("situation_")
        signals = read_signals(kb, parse, item["text"], answers_pending=False) if routed else None
        gathered.append((category, item, signals))
    return gathered


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--top", type=int, default=8, help="how many settings to print")
    args = parser.parse_args()
    kb = load_knowledge_base(ROOT / "data" / "kb")
    items = gather(kb, newest_model())
    base = build_router(kb)
    results = []
    for values in itertools.product(*GRID.values()):
        thresholds = replace(Thresholds(), **dict(zip(GRID, values, strict=True)))
        rates = replay(items, Router(base.situation_fiches, thresholds))
        results.append((objective(rates), thresholds, rates))
    results.sort(key=lambda r: -r[0])
    current = replay(items, base)
    print(f"current {asdict(base.t)}\n  {objective(current):.3f} {current}")
    for value, thresholds, rates in results[: args.top]:
        changed = {k: v for k, v in asdict(thresholds).items() if v != asdict(Thresholds())[k]}
        print(f"{value:.3f} {changed or 'defaults'}\n  {rates}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
