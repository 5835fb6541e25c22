"""Plans through the gateway API, as a person gets them: answers typed, a death and a dated move.

The expectations are read from the fiches by hand: F14935 "Inhumation" and F1558 "Crémation" say
"6 jours ouvrables au plus après le décès"; F16507 writes the widow's allowance (F744) and the leave
for a deceased child (F35312) for other relatives; "Je déménage" (F14128) gives the school 8 days
after the move (F1881), the home insurance 15 days (F10827), the carte grise a month (F12118), and
mentions the separated parents' visiting rights (F18786) only in a warning, a reference.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import add_agent
from tests.e2e.test_questionnaires import answer_buttons


def converse(gateway: TestClient, first: str, typed: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
    """A conversation whose questions are answered by typing; the messages of its last turn."""
    conversation = gateway.post("/api/conversations").json()["id"]
    url = f"/api/conversations/{conversation}/messages"
    messages = gateway.post(url, json={"text": first}).json()["messages"]
    for _ in range(8):
        question = answer_buttons(messages)
        if question is None:
            break
        assert question[0] in typed, (question[0], [m["text"] for m in messages])
        messages = gateway.post(url, json={"text": typed[question[0]]}).json()["messages"]
    return conversation, messages


def plan_of(messages: list[dict[str, Any]]) -> dict[str, Any]:
    plans = [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "plan"]
    assert plans, [m["text"] for m in messages]
    return plans[0]


def context(gateway: TestClient, conversation: str, agent: str) -> dict[str, Any]:
    headers = {"Authorization": "Bearer " + add_agent(gateway, agent)}
    response = gateway.get(f"/api/conversations/{conversation}/context", headers=headers)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_a_mother_s_death_gives_a_dated_plan_for_a_child(gateway: TestClient) -> None:
    typed = {
        "F16507-q1": "en france",
        "F16507-q2": "francais",
        "F16507-q3": "locataire",
        "F16507-q4": "retraite",
    }
    conversation, messages = converse(gateway, "ma mère est décédée le vendredi 4 décembre 2026", typed)
    plan = plan_of(messages)
    items = {i["fiche_id"]: i for i in plan["items"]}
    # written for a spouse or for a deceased child's parent: not for this person
    assert not {"F744", "F35312", "F13104", "N378"} & set(items), sorted(items)
    assert plan["event_date"] == "2026-12-04"
    # 6 jours ouvrables: Sat 5, (Sunday off), Mon 7, Tue 8, Wed 9, Thu 10, Fri 11
    assert items["F14935"]["due_date"] == items["F1558"]["due_date"] == "2026-12-11"
    # no date shown as a future date once it has passed; the first page holds at most 15
    assert all(
        i["overdue"] == (i["due_date"] < date.today().isoformat()) for i in items.values() if i["due_date"]
    )
    assert len(plan["page_items"]) <= 15
    # grouped as the fiche groups it, most urgent chapter first
    assert plan["groups"][0]["title"].startswith("Dans les 24 heures"), [g["title"] for g in plan["groups"]]
    recorded = {
        a["question_id"]: a["answer"] for a in context(gateway, conversation, "agent-death")["answers"]
    }
    assert recorded["F16507-rel"] == "La personne décédée était votre parent"
    assert "La défunte était retraitée" in recorded.values(), recorded


def test_a_dated_move_gets_dates_references_apart_and_a_calendar(gateway: TestClient) -> None:
    move = date(date.today().year + 1, 1, 15)
    typed = {"F14128-q1": "locataire", "F14128-q2": "francais", "F14128-q3": "oui", "F14128-q4": "salarie"}
    conversation, messages = converse(gateway, f"je déménage le 15 janvier {move.year}", typed)
    plan = plan_of(messages)
    due = {i["fiche_id"]: i["due_date"] for i in plan["items"]}
    assert due["F1881"] == (move + timedelta(days=8)).isoformat()
    assert due["F10827"] == (move + timedelta(days=15)).isoformat()
    assert due["F12118"] == date(move.year, 2, 15).isoformat()
    assert "F18786" not in due  # the separated parents' visiting rights: a reference
    assert "F18786" in {r["fiche_id"] for r in plan["related"]}
    dated = [i for i in plan["items"] if i["due_date"]]
    assert plan["dated"] == len(dated) >= 4
    # the calendar offered holds one event per dated démarche
    text = "\n".join(m["text"] or "" for m in messages)
    link = re.search(r"\S+/plans/\S+\.ics", text)
    assert link, text
    calendar = gateway.get(link.group(0)[link.group(0).index("/plans/") :])
    assert calendar.status_code == 200 and calendar.text.count("BEGIN:VEVENT") == len(dated)
    page = gateway.get(link.group(0)[link.group(0).index("/plans/") : -len(".ics")])
    assert page.status_code == 200 and "<h2>Pour en savoir plus</h2>" in page.text
    assert page.text.count("<h2>") == len([g for g in plan["groups"] if g["title"]]) + 1
    # the agent's context: démarches and references apart
    ctx = context(gateway, conversation, "agent-move")
    assert [p["fiche_id"] for p in ctx["plan"]] == [i["fiche_id"] for i in plan["items"]]
    assert "F18786" in {r["fiche_id"] for r in ctx["related"]}
    # the references on request, typed
    url = f"/api/conversations/{conversation}/messages"
    more = gateway.post(url, json={"text": "pour en savoir plus"}).json()["messages"]
    shown = "\n".join(m["text"] or "" for m in more)
    assert "ce ne sont pas des démarches à faire" in shown and "Séparation des parents" in shown, shown
