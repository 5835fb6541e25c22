"""A complaint about a document, through the gateway with the real model: complete and abandoned."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import add_agent


def say(client: TestClient, conversation: str, body: dict[str, str]) -> list[dict[str, Any]]:
    response = client.post(f"/api/conversations/{conversation}/messages", json=body)
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def text_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m["text"] or "" for m in messages)


def button(messages: list[dict[str, Any]], title: str) -> str:
    for message in messages:
        for b in message["buttons"]:
            if b["title"] == title:
                payload: str = b["payload"]
                return payload
    raise AssertionError(f"no button {title!r} in {messages}")


def test_complete_report_then_the_situation_resumes(gateway: TestClient) -> None:
    admin = {"Authorization": "Bearer " + add_agent(gateway, "admin-complaints", role="admin")}
    conversation = gateway.post("/api/conversations").json()["id"]
    say(gateway, conversation, {"text": "je déménage"})
    replies = say(gateway, conversation, {"text": "le formulaire cerfa 13750 est incompréhensible"})
    assert "difficile" in text_of(replies)  # the document was read from the message: categories come next
    replies = say(gateway, conversation, {"payload": button(replies, "Vocabulaire, jargon")})
    replies = say(gateway, conversation, {"payload": button(replies, "Trop long")})
    replies = say(gateway, conversation, {"payload": button(replies, "C'est tout")})
    assert "vos mots" in text_of(replies)
    replies = say(
        gateway, conversation, {"text": "la page 2 est floue, écrivez-moi à jean.dupont@exemple.fr"}
    )
    replies = say(gateway, conversation, {"text": "non"})
    replies = say(gateway, conversation, {"payload": button(replies, "Non")})
    final = text_of(replies)
    assert "DOC-" in final and "une adresse e-mail" in final
    assert "Reprenons" in final and "Le logement que vous quittez, vous le louez" in final
    reference = final[final.index("DOC-") :].split()[0].rstrip(".")
    stored = gateway.get(f"/api/feedback/{reference}", headers=admin).json()
    assert stored["document"]["cerfa"].startswith("13750") and stored["categories"] == ["jargon", "too_long"]
    assert "jean.dupont@exemple.fr" not in stored["description"] and stored["situations"] == ["F14128"]
    assert stored["conversation_id"] == conversation and stored["contact"] is None
    transcript = gateway.get(f"/api/conversations/{conversation}/messages").json()["messages"]
    assert "jean.dupont" not in str([m for m in transcript if m["role"] != "user"])


def test_abandoned_report_stores_nothing(gateway: TestClient) -> None:
    admin = {"Authorization": "Bearer " + add_agent(gateway, "admin-abandon", role="admin")}
    before = gateway.get("/api/feedback", headers=admin).json()["total"]
    conversation = gateway.post("/api/conversations").json()["id"]
    replies = say(gateway, conversation, {"text": "la lettre de la caf est incompréhensible"})
    assert "difficile" in text_of(replies)  # the letter and its sender read from the message
    replies = say(gateway, conversation, {"text": "laisse tomber"})
    assert "rien n'a été enregistré" in text_of(replies)
    assert gateway.get("/api/feedback", headers=admin).json()["total"] == before
    assert say(gateway, conversation, {"text": "bonjour"})  # the bot is free again


def test_a_report_typed_with_a_step_back_a_skip_and_a_digression(gateway: TestClient) -> None:
    admin = {"Authorization": "Bearer " + add_agent(gateway, "admin-repairs", role="admin")}
    conversation = gateway.post("/api/conversations").json()["id"]
    replies = say(gateway, conversation, {"text": "le courrier des impôts est incompréhensible"})
    assert "difficile" in text_of(replies)
    replies = say(gateway, conversation, {"text": "trop long"})
    replies = say(gateway, conversation, {"text": "c'est tout"})
    assert "vos mots" in text_of(replies)
    replies = say(gateway, conversation, {"text": "revenir à la question d'avant"})
    assert "difficile" in text_of(replies)  # the difficulties are asked again, from the start
    replies = say(gateway, conversation, {"text": "des mots que je comprends pas"})
    replies = say(gateway, conversation, {"text": "c'est tout"})
    replies = say(gateway, conversation, {"text": "ils parlent de prélèvement à la source sans l'expliquer"})
    replies = say(gateway, conversation, {"text": "je sais pas"})
    assert "recontacte" in text_of(replies)  # no suggestion: the next question
    final = text_of(say(gateway, conversation, {"text": "non"}))
    reference = final[final.index("DOC-") :].split()[0].rstrip(".")
    stored = gateway.get(f"/api/feedback/{reference}", headers=admin).json()
    assert stored["document"]["kind"] == "letter" and "Impôts" in stored["document"]["organisation"]
    assert stored["categories"] == ["jargon"] and stored["suggestion"] in (None, "")
    assert "prélèvement" in stored["description"]
