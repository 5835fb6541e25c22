"""Satisfaction over the REST API, with a scripted Rasa: asked once at a natural end, in the
channel's own form, skippable, never in a sensitive situation's first exchanges; its answers never
reach Rasa; a low score enters the review queue."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from assistant.conversations.models import OutboundMessage
from assistant.satisfaction.questions import score_question
from assistant.storage.tables import answer_ratings, csat_responses, review_items
from channels.sms_rendering import SmsRenderer
from tests.conftest import add_agent
from tests.satisfaction.conftest import Chat, ScriptedRasa

CSAT_PAYLOADS = ["csat:1", "csat:2", "csat:3", "csat:4", "csat:5", "csat:skip"]


def rows(client: TestClient, table: sa.Table) -> list[dict[str, Any]]:
    state = client.app.state.services  # type: ignore[attr-defined]

    async def read() -> list[dict[str, Any]]:
        async with state.database.connect() as conn:
            return [dict(r) for r in (await conn.execute(table.select())).mappings().all()]

    result: list[dict[str, Any]] = client.portal.call(read)  # type: ignore[union-attr]
    return result


def payloads(messages: list[dict[str, Any]]) -> list[str]:
    return [b["payload"] for m in messages for b in m["buttons"]]


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages if m["text"]]


def test_asked_at_the_end_answered_with_a_reason_and_never_twice(
    client: TestClient, chat: Chat, rasa: ScriptedRasa
) -> None:
    chat.send("je déménage")
    end = chat.send("merci")
    assert texts(end)[0] == "Avec plaisir."
    assert payloads(end) == CSAT_PAYLOADS  # buttons on the web, with "Passer"
    assert not any("signal" in str(m) for m in end)  # the dialogue's signal is never shown
    reason = chat.send(payload="csat:2")
    assert [b["payload"] for b in reason[0]["buttons"]][:2] == [
        "csat_reason:not_understood",
        "csat_reason:wrong_answer",
    ]
    thanks = chat.send(payload="csat_reason:too_long")
    assert texts(thanks) == ["Merci pour votre avis, il nous aide à améliorer le service."]
    again = chat.send("au revoir")
    assert texts(again) == ["Au revoir."] and payloads(again) == []  # never twice
    assert rasa.messages() == [
        "/start_conversation",
        "je déménage",
        "merci",
        "au revoir",
    ]  # answers stay here
    (answer,) = rows(client, csat_responses)
    assert (answer["score"], answer["reason"], answer["status"], answer["trigger"]) == (
        2,
        "too_long",
        "answered",
        "end",
    )
    (review,) = rows(client, review_items)
    assert (review["source"], review["text"]) == ("csat_negative", "je déménage")  # the first request


def test_a_high_score_asks_no_reason_and_other_reason_takes_free_text(
    client: TestClient, rasa: ScriptedRasa
) -> None:
    happy, unhappy = Chat(client), Chat(client)
    for chat in (happy, unhappy):
        chat.send("je déménage")
        chat.send("merci")
    assert texts(happy.send(payload="csat:5")) == [
        "Merci pour votre avis, il nous aide à améliorer le service."
    ]
    unhappy.send(payload="csat:3")
    assert "Écrivez ce qui n'a pas été" in texts(unhappy.send(payload="csat_reason:other"))[0]
    unhappy.send("trop de questions, écrivez-moi à jean@exemple.fr")
    answers = {r["conversation_id"]: r for r in rows(client, csat_responses)}
    assert answers[happy.id]["score"] == 5 and answers[happy.id]["reason"] is None
    assert answers[unhappy.id]["score"] == 3 and answers[unhappy.id]["comment"].startswith(
        "trop de questions"
    )
    assert rows(client, review_items) == []  # 3 and 5 are not negative
    assert "trop de questions" not in rasa.messages()[-1]


def test_skipped_by_its_button_or_by_writing_something_else(client: TestClient, rasa: ScriptedRasa) -> None:
    pressed, wrote = Chat(client), Chat(client)
    for chat in (pressed, wrote):
        chat.send("je déménage")
        chat.send("merci")
    assert texts(pressed.send(payload="csat:skip"))[0].startswith("D'accord.")
    assert texts(wrote.send("je cherche un logement"))[0] == "Je n'ai pas bien compris."  # went to Rasa
    assert {r["conversation_id"]: r["status"] for r in rows(client, csat_responses)} == {
        pressed.id: "skipped",
        wrote.id: "skipped",
    }
    assert rasa.messages().count("je cherche un logement") == 1
    assert payloads(pressed.send(payload="csat:4")) == []  # a late answer changes nothing
    assert {r["conversation_id"]: r["score"] for r in rows(client, csat_responses)}[pressed.id] is None


def test_not_asked_too_early_nor_in_a_sensitive_situation(client: TestClient) -> None:
    early, grieving = Chat(client), Chat(client)
    assert payloads(early.send("merci")) == []  # nothing to rate yet
    grieving.send("mon père est décédé")  # F16507 has an empathy response: sensitive
    assert payloads(grieving.send("merci")) == []
    for text in ("question 1", "question 2", "question 3"):
        grieving.send(text)
    assert payloads(grieving.send("merci")) == CSAT_PAYLOADS  # six messages in: asked
    assert {r["conversation_id"] for r in rows(client, csat_responses)} == {grieving.id}


def test_a_search_answer_asks_whether_it_helped(client: TestClient, chat: Chat, rasa: ScriptedRasa) -> None:
    chat.send("bonjour")
    answer = chat.send("carte d'identité perdue")
    assert answer[-1]["text"] == "Cette réponse vous a aidé ?"
    yes, no = payloads(answer)
    assert yes.startswith("helpful:yes:") and no.startswith("helpful:no:")
    after = chat.send(payload=no)
    assert texts(after)[0] == "Merci pour votre réponse."
    assert payloads(after) == CSAT_PAYLOADS  # rating the answer ends the exchange: the CSAT follows
    assert texts(chat.send(payload=yes)) == ["Merci, votre avis est déjà enregistré."]  # once per answer
    (rating,) = rows(client, answer_ratings)
    assert rating["helpful"] is False or rating["helpful"] == 0
    assert not any(m.startswith("helpful:") for m in rasa.messages())


def test_a_misunderstood_message_enters_the_review_queue_masked(client: TestClient, chat: Chat) -> None:
    chat.send("blabla appelez moi au 06 12 34 56 78")
    chat.send("je déménage")  # understood: not queued
    (item,) = rows(client, review_items)
    assert item["source"] == "misunderstood" and item["status"] == "open"
    assert "06 12" not in item["text"] and item["masked"] == ["phone"]


def test_by_sms_the_scale_is_a_digit_to_send() -> None:
    rendered = SmsRenderer("https://exemple.fr").render([score_question("sms")])
    text = rendered[-1].text or ""
    assert "1. 1 - Pas du tout\n2. 2 - Peu" in text and text.endswith("Répondez 1, 2, 3, 4 ou 5.")
    assert [b.payload for b in rendered[-1].buttons] == CSAT_PAYLOADS[:5]  # no "Passer" by SMS
    assert isinstance(rendered[-1], OutboundMessage)


def test_a_digit_typed_while_asked_is_the_score(client: TestClient, chat: Chat, rasa: ScriptedRasa) -> None:
    chat.send("je déménage")
    chat.send("merci")
    chat.send("4")
    (answer,) = rows(client, csat_responses)
    assert answer["score"] == 4 and "4" not in rasa.messages()


def test_asked_when_an_agent_hands_back_and_a_misunderstood_handoff_is_reviewed(
    client: TestClient, chat: Chat, rasa: ScriptedRasa
) -> None:
    rasa.replies["je veux un humain"] = [
        {"custom": {"type": "handoff", "reason": "misunderstood", "priority": 1}}
    ]
    rasa.replies["/handoff_ended"] = [{"text": "L'assistant reprend la conversation."}]
    chat.send("bonjour")
    chat.send("je veux un humain")
    (review,) = [r for r in rows(client, review_items) if r["source"] == "handoff_misunderstood"]
    assert review["text"] == "je veux un humain"
    agent = {"Authorization": "Bearer " + add_agent(client, "claire")}
    (handoff,) = client.get("/api/handoffs", headers=agent).json()["handoffs"]
    assert client.post(f"/api/handoffs/{handoff['id']}/claim", headers=agent).status_code == 200
    closed = client.post(
        f"/api/handoffs/{handoff['id']}/close",
        json={"outcome": "resolved", "back_to_bot": True},
        headers=agent,
    )
    assert closed.status_code == 200
    transcript = client.get(f"/api/conversations/{chat.id}/messages").json()["messages"]
    assert transcript[-2]["text"] == "L'assistant reprend la conversation."
    assert [b["payload"] for b in transcript[-1]["buttons"]] == CSAT_PAYLOADS
    (answer,) = rows(client, csat_responses)
    assert (answer["trigger"], answer["status"]) == ("handoff", "asked")
