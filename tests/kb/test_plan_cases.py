"""Plans checked against expectations written by hand from the fiches (``plan_cases.yml``).

The file was written blind: by someone who read only the official fiches, never this code, the
knowledge base or its tests. Each case gives answers, an event date and today's date; the plan must
list what the fiche asks this person to do (``must_include``), must not list as a démarche what is a
reference, written for someone else or under a condition the answers make false
(``must_exclude``), and must date the named items as the fiches do (``deadlines``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.kb import KnowledgeBase

CASES: list[dict[str, Any]] = yaml.safe_load(
    Path(__file__).with_name("plan_cases.yml").read_text(encoding="utf-8")
)["cases"]
RELATION_CHOICE = {"spouse": 1, "parent": 2, "child": 3, "other": 4}


def answers_of(case: dict[str, Any]) -> dict[str, str]:
    answers = dict(case.get("answers") or {})
    if "deceased" in case:
        answers["F16507-rel"] = f"F16507-rel-c{RELATION_CHOICE[case['deceased']]}"
    return answers


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_plan_matches_the_fiches(real_kb: KnowledgeBase, case: dict[str, Any]) -> None:
    plan = real_kb.plan(
        [case["situation"]], answers_of(case), as_date(case["event_date"]), as_date(case["today"])
    )
    shown = {item.fiche_id: item for item in plan.items}
    missing = sorted(set(case.get("must_include") or []) - set(shown))
    wrong = sorted(set(case.get("must_exclude") or []) & set(shown))
    assert not missing, f"démarches missing: {missing}"
    assert not wrong, f"listed as démarches: {wrong}"
    for fiche_id, expected in (case.get("deadlines") or {}).items():
        assert fiche_id in shown, f"{fiche_id} has a deadline in the case but is not in the plan"
        assert shown[fiche_id].due_date == as_date(expected), (fiche_id, shown[fiche_id].timing)


HOLDOUT: list[dict[str, Any]] = yaml.safe_load(
    Path(__file__).with_name("plan_cases_holdout.yml").read_text(encoding="utf-8")
)["cases"]
# Measured once, on 2026-12-06, after the rules were tuned on plan_cases.yml and before anyone read
# this second blind set's results; nothing was changed after reading them. A gate, not a target.
HOLDOUT_CASES_PASSING = 12


def failures(kb: KnowledgeBase, case: dict[str, Any]) -> list[str]:
    plan = kb.plan([case["situation"]], answers_of(case), as_date(case["event_date"]), as_date(case["today"]))
    shown = {item.fiche_id: item for item in plan.items}
    wrong = [f"missing {f}" for f in case.get("must_include") or [] if f not in shown]
    wrong += [f"listed {f}" for f in case.get("must_exclude") or [] if f in shown]
    wrong += [
        f"{f} due {shown[f].due_date if f in shown else None}, expected {due}"
        for f, due in (case.get("deadlines") or {}).items()
        if f not in shown or shown[f].due_date != as_date(due)
    ]
    return wrong


def test_the_second_blind_set_does_not_get_worse(real_kb: KnowledgeBase) -> None:
    results = {case["id"]: failures(real_kb, case) for case in HOLDOUT}
    passing = [case_id for case_id, wrong in results.items() if not wrong]
    assert len(HOLDOUT) == 14
    assert len(passing) >= HOLDOUT_CASES_PASSING, {k: v for k, v in results.items() if v}
