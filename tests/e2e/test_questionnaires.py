"""The four questionnaire situations through the gateway API, against the real model and actions.

Each conversation answers the fiche's own questions by pressing the buttons the bot sends; the
plan's fiche ids must be exactly what the fiche's rules select for those answers.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.config import PROJECT_ROOT
from assistant.kb import KnowledgeBase, load_knowledge_base
from tests.conftest import add_agent

CASES = [
    (
        "je déménage",
        "F14128",
        {"F14128-q1": 0, "F14128-q2": 0, "F14128-q3": 0, "F14128-q4": 0},
        {"F1168"},
        {"F2604"},
    ),
    (
        "je déménage",
        "F14128",
        {"F14128-q1": 1, "F14128-q2": 2, "F14128-q3": 1, "F14128-q4": 3},
        {"F2604"},
        {"F1168"},
    ),
    ("on attend un bébé", "F16225", {"F16225-q1": 0, "F16225-q2": 0, "F16225-q3": 0}, set(), set()),
    ("on attend un bébé", "F16225", {"F16225-q1": 1, "F16225-q2": 1, "F16225-q3": 1}, set(), set()),
    (
        "mon père est décédé",
        "F16507",
        {"F16507-q1": 0, "F16507-q2": 0, "F16507-q3": 0, "F16507-q4": 0},
        set(),
        set(),
    ),
    (
        "mon père est décédé",
        "F16507",
        {"F16507-q1": 1, "F16507-q2": 1, "F16507-q3": 1, "F16507-q4": 1},
        set(),
        set(),
    ),
    (
        "je me sépare de mon conjoint",
        "F33362",
        {"F33362-q1": 0, "F33362-q2": 0, "F33362-q3": 0},
        set(),
        set(),
    ),
    (
        "je me sépare de mon conjoint",
        "F33362",
        {"F33362-q1": 2, "F33362-q2": 1, "F33362-q3": 1},
        set(),
        set(),
    ),
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base(PROJECT_ROOT / "data" / "kb")


def answer_buttons(messages: list[dict[str, Any]]) -> tuple[str, list[dict[str, str]]] | None:
    """The question id and its choice buttons, when the bot just asked a question."""
    for message in messages:
        for button in message.get("buttons") or []:
            if button["payload"].startswith("/answer"):
                choice = json.loads(button["payload"][len("/answer") :])["choice_id"]
                return choice.rsplit("-c", 1)[0], [
                    b for b in message["buttons"] if "-skip" not in b["payload"]
                ]
    return None


@pytest.mark.parametrize(("first", "situation", "picks", "must", "must_not"), CASES)
def test_questionnaire_to_plan(
    gateway: TestClient,
    kb: KnowledgeBase,
    first: str,
    situation: str,
    picks: dict[str, int],
    must: set[str],
    must_not: set[str],
) -> None:
    conversation = gateway.post("/api/conversations").json()["id"]
    url = f"/api/conversations/{conversation}/messages"
    messages = gateway.post(url, json={"text": first}).json()["messages"]
    answers: dict[str, str] = {}
    asked: list[str] = []
    for _ in range(10):
        question = answer_buttons(messages)
        if question is None:
            break
        question_id, buttons = question
        assert question_id not in asked, "a question was asked twice"
        asked.append(question_id)
        pressed = buttons[picks[question_id]]
        answers[question_id] = json.loads(pressed["payload"][len("/answer") :])["choice_id"]
        messages = gateway.post(url, json={"payload": pressed["payload"]}).json()["messages"]
    plans = [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "plan"]
    assert plans, messages
    shown = {item["fiche_id"] for item in plans[0]["items"]}
    expected = {item.fiche_id for item in kb.plan([situation], answers).items}
    assert shown == expected
    assert must <= shown and not (must_not & shown)
    assert all(len(m["text"] or "") <= 1000 for m in messages)
    texts = "\n".join(m["text"] or "" for m in messages)
    assert "/plans/" in texts


def test_printable_plan_and_calendar(gateway: TestClient) -> None:
    conversation = gateway.post("/api/conversations").json()["id"]
    url = f"/api/conversations/{conversation}/messages"
    messages = gateway.post(url, json={"text": "mon père est décédé hier"}).json()["messages"]
    for _ in range(6):
        question = answer_buttons(messages)
        if question is None:
            break
        messages = gateway.post(url, json={"payload": question[1][0]["payload"]}).json()["messages"]
    text = "\n".join(m["text"] or "" for m in messages)
    link = next(word for word in text.split() if "/plans/" in word and not word.endswith(".ics"))
    path = link[link.index("/plans/") :]
    page = gateway.get(path)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "Mes démarches" in page.text and "Licence Ouverte 2.0" in page.text
    calendar = gateway.get(path + ".ics")
    assert calendar.status_code == 200 and calendar.headers["content-type"].startswith("text/calendar")
    assert calendar.text.startswith("BEGIN:VCALENDAR\r\n") and "BEGIN:VEVENT" in calendar.text
    assert gateway.get("/plans/" + "x" * 24).status_code == 404
    assert gateway.get("/plans/../../etc/passwd").status_code == 404


def test_context_exposes_what_an_agent_needs(gateway: TestClient) -> None:
    conversation = gateway.post("/api/conversations").json()["id"]
    url = f"/api/conversations/{conversation}/messages"
    gateway.post(url, json={"text": "je déménage le 15 mars, je suis locataire"})
    headers = {"Authorization": "Bearer " + add_agent(gateway, "agent-context")}
    context = gateway.get(f"/api/conversations/{conversation}/context", headers=headers).json()
    assert context["situation"] == {"id": "F14128", "title": "Je déménage"}
    assert context["answers"][0]["answer"] == "Vous êtes locataire"
    assert context["event_date"] is not None and context["event_date"].endswith("-03-15")
    assert [q["id"] for q in context["open_questions"]][:1] == ["F14128-q2"]
    assert context["plan"] == []
    assert gateway.get("/api/conversations/" + "x" * 30 + "/context", headers=headers).status_code == 404
    assert gateway.get(f"/api/conversations/{conversation}/context").status_code == 401
