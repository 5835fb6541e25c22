"""The four questionnaire situations through the gateway API, against the real model and actions.

The expectations live in ``questionnaire_cases.yml``, written by hand from the original fiches'
``Questionnaire`` and ``Condition`` blocks (never from the assistant's own plan). Half of the cases
answer by pressing the bot's buttons, the other half by typing the choice's label as a person would
(lowercase, no accents). Each plan must hold what the fiche asks for those answers and nothing the
fiche reserves for other answers, and no question may be asked twice.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from tests.conftest import add_agent

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).with_name("questionnaire_cases.yml")).read_text(encoding="utf-8")
)["cases"]


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


def context_choice(context: dict[str, Any], question_id: str) -> str | None:
    """The choice recorded for a question, from the agent's context."""
    return next((a["choice_id"] for a in context["answers"] if a["question_id"] == question_id), None)


def choice_of(button: dict[str, str]) -> str:
    choice: str = json.loads(button["payload"][len("/answer") :])["choice_id"]
    return choice


def as_typed(label: str) -> str:
    """A choice label the way a person types it: "Européen (UE)" -> "europeen", "Marié(e)" -> "marie"."""
    text = re.sub(r"\s*\([^)]*\)", "", label)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().split())


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_questionnaire_to_plan(gateway: TestClient, case: dict[str, Any]) -> None:
    conversation = gateway.post("/api/conversations").json()["id"]
    url = f"/api/conversations/{conversation}/messages"
    messages = gateway.post(url, json={"text": case["first_message"]}).json()["messages"]
    answers: dict[str, str] = case["answers"]
    asked: list[str] = []
    sent: list[str] = []
    for _ in range(10):
        question = answer_buttons(messages)
        if question is None:
            break
        question_id, buttons = question
        assert question_id not in asked, (
            f"{question_id} asked twice (answers sent so far: {sent})",
            [m["text"] for m in messages],
        )
        asked.append(question_id)
        assert question_id in answers, f"the bot asked {question_id}, which the case does not answer"
        button = next((b for b in buttons if choice_of(b) == answers[question_id]), None)
        assert button is not None, (answers[question_id], buttons)
        if case["input"] == "typed":
            body = {"text": as_typed(button["title"])}
        else:
            body = {"payload": button["payload"]}
        sent.append(f"{question_id}: {body}")
        messages = gateway.post(url, json=body).json()["messages"]
    headers = {"Authorization": "Bearer " + add_agent(gateway, "agent-questionnaire")}
    context = gateway.get(f"/api/conversations/{conversation}/context", headers=headers).json()
    recorded = {entry["question_id"]: entry["answer"] for entry in context["answers"]}
    trace = f"asked {asked}, sent {sent}, recorded {recorded}"
    plans = [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "plan"]
    assert plans, (trace, messages)
    # the conditions decide what the fiche gives this person, démarches and references alike (which
    # is which is checked against the fiches in tests/kb/plan_cases.yml)
    shown = {item["fiche_id"] for item in [*plans[0]["items"], *plans[0]["related"]]}
    must_include, must_exclude = set(case["must_include"]), set(case["must_exclude"])
    assert not must_include - shown, f"missing {sorted(must_include - shown)} ({trace})"
    assert not must_exclude & shown, f"shown {sorted(must_exclude & shown)} ({trace})"
    said: dict[str, str] = case.get("said") or {}  # answered by the first message's own words
    assert set(recorded) == set(asked) | set(said), f"answers recorded for questions never asked ({trace})"
    assert {q: context_choice(context, q) for q in said} == said, trace
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
