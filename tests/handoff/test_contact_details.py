"""Outside opening hours: the person is told when agents are back and may leave contact details."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from assistant.handoff.hours import OpeningHours
from tests.conftest import add_agent


def say(client: TestClient, conversation: str, body: dict[str, str]) -> list[dict[str, Any]]:
    response = client.post(f"/api/conversations/{conversation}/messages", json=body)
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def closed(client: TestClient) -> None:
    state = client.app.state.services  # type: ignore[attr-defined]
    hours = OpeningHours.parse("1-5 09:00-17:00", "Europe/Paris")
    state.handoffs.hours = OpeningHours(frozenset(), hours.start, hours.end, ZoneInfo("Europe/Paris"))


def test_contact_details_only_with_consent(gateway: TestClient) -> None:
    closed(gateway)
    token = add_agent(gateway, "agent-contact")
    conversation = gateway.post("/api/conversations").json()["id"]
    replies = say(gateway, conversation, {"text": "je veux parler à un conseiller"})
    text = " ".join(m["text"] or "" for m in replies)
    assert "pas disponibles" in text and "de retour le " in text
    payloads = [b["payload"] for m in replies for b in m["buttons"]]
    assert payloads == ["/leave_contact", "/no_contact"]

    asked = say(gateway, conversation, {"payload": "/leave_contact"})
    assert "vous acceptez" in asked[0]["text"] and asked[0]["role"] == "system"
    assert "Je n'ai pas trouvé" in say(gateway, conversation, {"text": "demain matin"})[0]["text"]
    saved = say(gateway, conversation, {"text": "c'est le 06 12 34 56 78"})
    assert "06 12 34 56 78" in saved[0]["text"]

    headers = {"Authorization": f"Bearer {token}"}
    handoff = gateway.get(f"/api/conversations/{conversation}/context", headers=headers).json()["handoff"]
    packet = gateway.get(f"/api/handoffs/{handoff['id']}", headers=headers).json()["packet"]
    assert packet["contact"] == "06 12 34 56 78" and packet["contact_consent"] is True
    assert say(gateway, conversation, {"text": "merci"}) == []  # other messages go to the agents only


def test_no_contact_kept_when_declined(gateway: TestClient) -> None:
    closed(gateway)
    token = add_agent(gateway, "agent-no-contact")
    conversation = gateway.post("/api/conversations").json()["id"]
    say(gateway, conversation, {"text": "un humain svp"})
    declined = say(gateway, conversation, {"payload": "/no_contact"})
    assert "reste dans la file" in declined[0]["text"]
    assert say(gateway, conversation, {"text": "mon mail est a@b.fr"}) == []
    headers = {"Authorization": f"Bearer {token}"}
    handoff = gateway.get(f"/api/conversations/{conversation}/context", headers=headers).json()["handoff"]
    packet = gateway.get(f"/api/handoffs/{handoff['id']}", headers=headers).json()["packet"]
    assert "contact" not in packet
