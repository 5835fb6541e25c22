"""How well the assistant understands what people write, per category of message, end to end.

Each message of an evaluation set (`data/eval/dev` or the frozen `data/eval/test`) opens a new web
conversation through the gateway (→ Rasa → actions), exactly as a person's first message would.
What counts is what the person gets back and what the agent console would show:

- situations, long: the context API's `situations` begin with the expected one (top-1); for a
  long message naming two, both are there. `exact` also requires no extra situation.
- questions: an accepted fiche is among the links of the first answer (fiche cards' `url` and
  links in the text); a situation set by a démarche question is a wrong confirmation.
- multi: both situations are in the context API's `situations`.
- offtopic: no situation is set.

The classifier-only figures come from the parse of the same messages (top intent, ranking).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "data" / "eval"
CATEGORIES = ("situations", "questions", "multi", "long", "offtopic")
FICHE_IN_URL = re.compile(r"\b([FRN]\d{1,6})\b")
URL = re.compile(r"https?://\S+|/l/(?:[a-z-]+/)?[FRN]\d{1,6}")


def load_set(split: str, categories: Iterable[str] = CATEGORIES) -> dict[str, list[dict[str, Any]]]:
    """The items of each category of `data/eval/<split>`."""
    sets = {}
    for category in categories:
        path = EVAL_DIR / split / f"{category}.yml"
        sets[category] = list(yaml.safe_load(path.read_text(encoding="utf-8"))["items"])
    return sets


def linked_fiches(messages: list[dict[str, Any]]) -> list[str]:
    """Fiche ids of the links a person can follow in the bot's messages, in order."""
    found: list[str] = []

    def visit(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                visit(v, k)
        elif isinstance(value, list):
            for v in value:
                visit(v, key)
        elif isinstance(value, str):
            urls = [value] if key == "url" else URL.findall(value)
            for url in urls:
                found.extend(FICHE_IN_URL.findall(url))

    for message in messages:
        visit({"text": message.get("text") or "", "custom": message.get("custom")})
    return list(dict.fromkeys(found))


@dataclass
class Outcome:
    """What one first message produced: situations set, fiches linked, the replies."""

    situations: list[str]
    fiches: list[str]
    replies: list[dict[str, Any]] = field(default_factory=list)


def score(category: str, item: dict[str, Any], outcome: Outcome) -> dict[str, bool]:
    """The figures one item contributes to, True when right."""
    got = outcome.situations
    expected = list(item.get("situations") or [])
    if category == "questions":
        accepted = set(item["accepted"])
        return {"linked": bool(accepted & set(outcome.fiches)), "no_situation": not got}
    if category == "offtopic":
        return {"no_situation": not got}
    if category == "multi":
        return {"all": set(expected) <= set(got), "top1": bool(got) and got[0] in expected}
    top1 = bool(got) and got[0] in expected and set(expected) <= set(got)
    return {"top1": top1, "exact": set(got) == set(expected)}


@dataclass
class Report:
    """Per category and figure: right / total, and the items that were wrong (dev set only)."""

    counts: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, category: str, figures: dict[str, bool]) -> None:
        table = self.counts.setdefault(category, {})
        for name, ok in figures.items():
            right_total = table.setdefault(name, [0, 0])
            right_total[0] += int(ok)
            right_total[1] += 1

    def rates(self) -> dict[str, dict[str, float]]:
        return {
            c: {n: round(r / t, 3) for n, (r, t) in figures.items()} for c, figures in self.counts.items()
        }


def converse(client: Any, token: str, text: str) -> Outcome:
    """One new web conversation with one message; the situations an agent would see.

    `client` is the gateway's test client or an `httpx.Client` on a running gateway."""
    conversation = client.post("/api/conversations").json()["id"]
    response = client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
    replies = response.json()["messages"] if response.status_code == 200 else []
    context = client.get(
        f"/api/conversations/{conversation}/context", headers={"Authorization": f"Bearer {token}"}
    ).json()
    situations = [s["id"] if isinstance(s, dict) else str(s) for s in context.get("situations") or []]
    return Outcome(situations=situations, fiches=linked_fiches(replies), replies=replies)


def evaluate(
    sets: dict[str, list[dict[str, Any]]],
    run: Callable[[str], Outcome],
    keep_errors: bool,
    limit: Optional[int] = None,
) -> Report:
    """Run every item (the first `limit` of each category) and count the figures."""
    report = Report()
    for category, items in sets.items():
        for item in items[:limit]:
            outcome = run(item["text"])
            figures = score(category, item, outcome)
            report.add(category, figures)
            if keep_errors and not all(figures.values()):
                report.errors.append(
                    {
                        "category": category,
                        "text": item["text"],
                        "expected": item.get("situations") or item.get("accepted"),
                        "situations": outcome.situations,
                        "fiches": outcome.fiches,
                        "replies": [r.get("text") for r in outcome.replies][:4],
                    }
                )
    return report


def search_rates(items: list[dict[str, Any]], search: Callable[[str], list[str]]) -> dict[str, float]:
    """The search alone: an accepted fiche first, or among the first three fiches found."""
    top1 = top3 = 0
    for item in items:
        found = search(item["text"])
        accepted = set(item["accepted"])
        top1 += bool(found[:1] and found[0] in accepted)
        top3 += bool(accepted & set(found[:3]))
    total = max(1, len(items))
    return {"top1": round(top1 / total, 3), "top3": round(top3 / total, 3)}


def classifier_outcome(parse: dict[str, Any]) -> Outcome:
    """What the intent classifier alone would decide: its top situation, nothing else."""
    ranking = [r for r in parse.get("intent_ranking") or [] if r["name"] != "nlu_fallback"]
    top = ranking[0]["name"] if ranking else ""
    situations = [top[len("situation_") :]] if top.startswith("situation_") else []
    return Outcome(situations=situations, fiches=[])


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
