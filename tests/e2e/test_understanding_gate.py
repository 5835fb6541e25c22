"""The regression gate on understanding: the development set, end to end, against the committed figures.

Every message of `data/eval/dev` opens a new web conversation through the gateway → Rasa →
actions (about half a minute). A figure that drops more than 3 points below
`bench/results/understanding-dev.json` fails the build; after a change that moves the figures on
purpose, `make eval-nlu` writes the new ones and the diff shows them.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.gateway.app import create_app
from bench.understanding import converse, evaluate, load_set
from tests.conftest import add_agent

COMMITTED = Path(__file__).resolve().parents[2] / "bench" / "results" / "understanding-dev.json"
TOLERANCE = 0.03


def test_no_category_drops_below_the_committed_figures(rasa_stack: Settings, tmp_path: Path) -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))["end_to_end"]
    settings = rasa_stack.copy(
        update={
            "database_url": f"sqlite:///{tmp_path / 'gate.db'}",
            "rate_limit_per_minute": 1_000_000,
            "conversations_per_client": 1_000_000,  # every message opens its own conversation
        }
    )
    with TestClient(create_app(settings)) as client:
        token = add_agent(client, "evaluation")
        report = evaluate(load_set("dev"), lambda text: converse(client, token, text), keep_errors=False)
    measured = report.rates()
    print(json.dumps(measured, indent=1))
    drops = {
        f"{category}.{name}": (expected, measured[category][name])
        for category, figures in committed.items()
        for name, expected in figures.items()
        if measured[category][name] < expected - TOLERANCE
    }
    assert not drops, f"understanding dropped (committed, measured): {drops}"
