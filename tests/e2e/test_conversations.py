"""Multi-turn conversations typed as people type, through the gateway, the real model and actions.

The scripts in ``conversations/`` were written by someone who had seen neither the training data
nor the code: only the questions the bot asks and the repairs a person may make (typos, numbers,
"nan", corrections, "je sais pas", "revenir à la question d'avant", digressions, "recommencer",
"laisse tomber"). Each turn's expectations are checked on what the person sees (the reply) and on
what an agent sees (the context API); a complaint ends with its stored report, or none.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.gateway.app import create_app
from tests.conftest import add_agent

FOLDER = Path(__file__).with_name("conversations")


def load(name: str) -> list[dict[str, Any]]:
    conversations: list[dict[str, Any]] = yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))[
        "conversations"
    ]
    return conversations


QUESTIONNAIRE = load("questionnaire.yml")
COMPLAINTS = load("complaints.yml")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def asked_question(replies: list[dict[str, Any]]) -> str | None:
    """The question whose choice buttons the reply shows."""
    for message in replies:
        for button in message.get("buttons") or []:
            if button["payload"].startswith("/answer"):
                choice: str = json.loads(button["payload"][len("/answer") :])["choice_id"]
                return choice.removesuffix("-skip").rsplit("-c", 1)[0]
    return None


def reply_text(replies: list[dict[str, Any]]) -> str:
    """Everything the person reads: texts, button titles, and the cards' titles and explanations."""
    parts: list[str] = []
    for message in replies:
        parts.append(message.get("text") or "")
        parts += [b["title"] for b in message.get("buttons") or []]
        custom = message.get("custom") or {}
        for result in custom.get("results") or []:
            parts += [result.get("title") or "", result.get("explanation") or ""]
        parts += [str(i.get("title") or "") for i in custom.get("items") or []]
    return fold("\n".join(parts))


class Conversation:
    def __init__(self, client: TestClient, admin: dict[str, str]) -> None:
        self.client, self.admin = client, admin
        self.id = client.post("/api/conversations").json()["id"]
        self.replies: list[list[dict[str, Any]]] = []

    def say(self, text: str) -> list[dict[str, Any]]:
        response = self.client.post(f"/api/conversations/{self.id}/messages", json={"text": text})
        assert response.status_code == 200, response.text
        replies: list[dict[str, Any]] = response.json()["messages"]
        self.replies.append(replies)
        return replies

    def context(self) -> dict[str, Any]:
        response = self.client.get(f"/api/conversations/{self.id}/context", headers=self.admin)
        assert response.status_code == 200, response.text
        context: dict[str, Any] = response.json()
        return context


def check_turn(
    said: str, expect: dict[str, Any], replies: list[dict[str, Any]], context: dict[str, Any]
) -> None:
    where = f"after {said!r}: {reply_text(replies)[:400]!r}"
    answers = {a["question_id"]: a.get("choice_id") for a in context["answers"]}
    situations = {s["id"] for s in context["situations"]}
    if "situations" in expect:
        assert situations == set(expect["situations"]), where
    for qid, cid in (expect.get("answers") or {}).items():
        assert answers.get(qid) == cid, f"{qid}: {answers.get(qid)} {where}"
    for qid in expect.get("not_answered") or []:
        assert qid not in answers, f"{qid} still answered {where}"
    for qid in expect.get("skipped") or []:
        assert qid in context["skipped_questions"], f"{qid} not skipped {where}"
    for key in ("asks", "asks_again"):
        if key in expect:
            assert asked_question(replies) == expect[key], where
    if expect.get("plan"):
        assert any((m.get("custom") or {}).get("type") == "plan" for m in replies), where
    for word in expect.get("reply_mentions") or []:
        assert fold(word) in reply_text(replies), f"{word!r} missing {where}"
    if expect.get("restarted") or (expect.get("cancelled") and context["open_questions"] is not None):
        if expect.get("restarted"):
            assert not situations and not answers, where
        assert asked_question(replies) is None, where
    if expect.get("handoff"):
        assert context["handoff"] is not None, where


def transcript(script: dict[str, Any], conversation: Conversation) -> str:
    lines = []
    for turn, replies in zip(script["turns"], conversation.replies, strict=False):
        lines.append(f"> {turn['say']}")
        lines += [f"  < {line}" for line in reply_text(replies).splitlines()[:12] if line]
    return "\n".join(lines)


def run(gateway: TestClient, admin: dict[str, str], script: dict[str, Any]) -> Conversation:
    conversation = Conversation(gateway, admin)
    for turn in script["turns"]:
        replies = conversation.say(turn["say"])
        try:
            check_turn(turn["say"], turn.get("expect") or {}, replies, conversation.context())
        except AssertionError as error:
            raise AssertionError(f"{error}\n{transcript(script, conversation)}") from None
    return conversation


CERFA_NUMBER = re.compile(r"\b\d{5}\b")  # a cerfa number: five digits (a phone number has ten)
BASELINE = Path(__file__).parents[2] / "bench" / "results" / "conversations.json"
LATEST = Path(__file__).parents[2] / "var" / "conversations-latest.json"


def stored_report(conversation: Conversation) -> dict[str, Any] | None:
    """The report whose reference the bot gave, as an administration reads it."""
    text = "\n".join(m.get("text") or "" for replies in conversation.replies for m in replies)
    if "DOC-" not in text:
        return None
    reference = text[text.rindex("DOC-") :].split()[0].rstrip(".,)")
    response = conversation.client.get(f"/api/feedback/{reference}", headers=conversation.admin)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def check_complaint(conversation: Conversation, script: dict[str, Any]) -> None:
    report = stored_report(conversation)
    expected = script.get("report")
    if expected in (None, "none"):
        assert report is None, report
        return
    assert report is not None, "no report recorded"
    document = report["document"]
    assert document["kind"] == expected.get("kind", document["kind"]), document
    sender = fold(f"{document.get('organisation') or ''} {document.get('label') or ''}")
    for word in expected.get("sender_mentions") or []:
        assert fold(word) in sender, document
    if "fiche_in" in expected:
        assert document["fiche_id"] in expected["fiche_in"], document
    if "cerfa" in expected:
        assert str(document["cerfa"] or "").startswith(str(expected["cerfa"])), document
    for word in expected.get("label_mentions") or []:
        assert fold(word) in fold(document["label"]), document
    assert set(expected.get("categories") or []) <= set(report["categories"]), report["categories"]
    if expected.get("contact"):
        assert report["contact"], report


def outcome(
    gateway: TestClient, admin: dict[str, str], script: dict[str, Any], complaint: bool
) -> str | None:
    """None when the conversation went as the script expects, else the first thing that did not."""
    try:
        conversation = run(gateway, admin, script)
        if complaint:
            check_complaint(conversation, script)
    except AssertionError as error:
        return str(error).splitlines()[0][:300]
    return None


@pytest.fixture
def many_conversations(rasa_stack: Settings, tmp_path: Path) -> Iterator[TestClient]:
    """The gateway, letting one test client open every script's conversation."""
    settings = rasa_stack.copy(
        update={"database_url": f"sqlite:///{tmp_path / 'gw.db'}", "conversations_per_client": 1000}
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_conversations_stay_on_their_rails(many_conversations: TestClient) -> None:
    """Every script is played; the build fails when one that went through in the committed
    results (bench/results/conversations.json) no longer does. The figures of this run are
    written to var/conversations-latest.json."""
    gateway = many_conversations
    admin = {"Authorization": "Bearer " + add_agent(gateway, "admin-conversations", role="admin")}
    failures: dict[str, str] = {}
    for scripts, complaint in ((QUESTIONNAIRE, False), (COMPLAINTS, True)):
        for script in scripts:
            error = outcome(gateway, admin, script, complaint)
            if error is not None:
                failures[script["id"]] = error
    passed = {
        name: sorted(s["id"] for s in scripts if s["id"] not in failures)
        for name, scripts in (("questionnaire", QUESTIONNAIRE), ("complaints", COMPLAINTS))
    }
    plain = [s["id"] for s in COMPLAINTS if not CERFA_NUMBER.search(" ".join(t["say"] for t in s["turns"]))]
    latest = {
        "passed": passed,
        "totals": {"questionnaire": len(QUESTIONNAIRE), "complaints": len(COMPLAINTS)},
        "complaints_in_plain_words": {
            "total": len(plain),
            "passed": len([i for i in plain if i not in failures]),
        },
        "failures": failures,
    }
    LATEST.parent.mkdir(exist_ok=True)
    LATEST.write_text(json.dumps(latest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))["passed"]
    regressed = {i: failures[i] for name in baseline for i in baseline[name] if i in failures}
    assert not regressed, json.dumps(regressed, indent=1, ensure_ascii=False)
