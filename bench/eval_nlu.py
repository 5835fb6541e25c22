"""`make eval-nlu`: understanding per category of message, end to end and classifier only.

Starts the action server and Rasa on the current model (trained if needed), runs the gateway
in-process on a SQLite file of its own, and sends each message of the evaluation set as the first
message of a new web conversation (`bench/understanding.py` says what counts as right). The
classifier-only figures parse the same messages through Rasa's HTTP API.

`--set dev` (the default) prints the wrong items too, for tuning, and writes the figures to
`bench/results/understanding-dev.json`: the regression gate of `make test`
(`tests/e2e/test_understanding_gate.py`) fails when a category drops more than 3 points below
them. `--set test` is the frozen test set: it prints and writes only the figures
(`bench/results/understanding-test.json`), never an item, so that reading it does not turn into
tuning on it.
"""

from __future__ import annotations

import argparse
import logging
import secrets
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import httpx

from bench.understanding import (
    CATEGORIES,
    Outcome,
    classifier_outcome,
    converse,
    evaluate,
    load_set,
    search_rates,
    write_json,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def run_stack_evaluation(split: str, limit: Optional[int], keep_errors: bool) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from assistant.gateway.app import create_app
    from assistant.ops.stack import action_server_spec, rasa_spec
    from assistant.ops.supervisor import Stack
    from assistant.rasa.training import ensure_model
    from bench.stack import bench_settings

    tmp = Path(tempfile.mkdtemp(prefix="eval-nlu-"))
    settings = bench_settings(tmp / "var").copy(
        update={
            "database_url": f"sqlite:///{tmp / 'eval.db'}",
            "rate_limit_per_minute": 1_000_000,
            "conversations_per_client": 1_000_000,  # every message opens its own conversation
            "log_level": "WARNING",
        }
    )
    model = ensure_model(settings.copy(update={"var_dir": ROOT / "var"}))
    log = (tmp / "stack.log").open("a", encoding="utf-8")

    def sink(line: str) -> None:
        log.write(line + "\n")

    stack = Stack([action_server_spec(settings), rasa_spec(settings, model)], sink=sink)
    sets = load_set(split)
    try:
        stack.start(timeout=300)
        rasa = httpx.Client(base_url=settings.rasa_base_url, timeout=30)

        def parse(text: str) -> Outcome:
            response = rasa.post("/model/parse", params={"token": settings.rasa_token}, json={"text": text})
            return classifier_outcome(response.json())

        started = time.monotonic()
        classifier = evaluate(sets, parse, keep_errors=False, limit=limit)
        with TestClient(create_app(settings)) as client:
            state = client.app.state.services  # type: ignore[attr-defined]
            password = secrets.token_urlsafe(16)
            client.portal.call(state.agents.add, "evaluation", password, "agent")  # type: ignore[union-attr]
            token = client.post(
                "/api/auth/token", data={"username": "evaluation", "password": password}
            ).json()["access_token"]
            end_to_end = evaluate(sets, lambda text: converse(client, token, text), keep_errors, limit)
        seconds = round(time.monotonic() - started, 1)
    finally:
        stack.stop()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "set": split,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "items": {c: len(items[:limit]) for c, items in sets.items()},
        "end_to_end": end_to_end.rates(),
        "classifier": classifier.rates(),
        "search": search_figures(split, limit),
        "seconds": seconds,
        "errors": end_to_end.errors,
    }


def search_figures(split: str, limit: Optional[int]) -> dict[str, float]:
    """The catalogue search alone, on the search's own question set (`search.yml` in the test
    set; the development set has none, its démarche questions stand in)."""
    from assistant.kb import load_knowledge_base

    kb = load_knowledge_base(ROOT / "data" / "kb")
    category = "search" if (ROOT / "data" / "eval" / split / "search.yml").exists() else "questions"
    items = load_set(split, [category])[category][:limit]
    return search_rates(items, lambda text: [hit.entry.id for hit in kb.search(text, limit=3)])


def print_table(result: dict[str, Any]) -> None:
    print(f"set {result['set']}, {result['items']}, {result['seconds']} s")
    for category in CATEGORIES:
        e2e = result["end_to_end"].get(category, {})
        clf = result["classifier"].get(category, {})
        print(f"  {category:11} end to end {e2e}   classifier {clf}")
    print(f"  {'search':11} alone {result['search']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", dest="split", choices=("dev", "test"), default="dev")
    parser.add_argument("--limit", type=int, help="only the first N items of each category")
    parser.add_argument("--out", type=Path, help="where to write the figures (JSON)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    keep_errors = args.split == "dev"
    result = run_stack_evaluation(args.split, args.limit, keep_errors)
    errors = result.pop("errors")
    for error in errors:
        print(error)
    print_table(result)
    out = args.out or RESULTS / f"understanding-{args.split}.json"
    if args.limit is None or args.out is not None:  # a partial run never replaces the figures
        write_json(out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
