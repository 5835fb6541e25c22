"""The person is told when an agent joins and leaves, and the bot answers sensibly after a close."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

PASSWORD = "mot-de-passe-solide"
JOINED = "Camille, du service d'accueil, a rejoint la conversation. Vous pouvez lui écrire ici."
BOT_CHALLENGE = "Je suis un assistant automatique"


def agent_token(client: TestClient, username: str, name: str) -> dict[str, str]:
    state = client.app.state.services  # type: ignore[attr-defined]
    client.portal.call(state.agents.add, username, PASSWORD, "agent", name)  # type: ignore[union-attr]
    response = client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def talk(client: TestClient, conversation: str, text: str) -> list[dict[str, Any]]:
    response = client.post(f"/api/conversations/{conversation}/messages", json={"text": text})
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def transcript(client: TestClient, conversation: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = client.get(f"/api/conversations/{conversation}/messages").json()[
        "messages"
    ]
    return messages


def claimed_conversation(client: TestClient, auth: dict[str, str]) -> tuple[str, str]:
    conversation = client.post("/api/conversations").json()["id"]
    talk(client, conversation, "je déménage, je suis locataire")
    talk(client, conversation, "je veux parler à un conseiller")
    waiting = client.get("/api/handoffs?status=waiting", headers=auth).json()["handoffs"]
    (handoff,) = [h for h in waiting if h["conversation_id"] == conversation]
    assert client.post(f"/api/handoffs/{handoff['id']}/claim", headers=auth).status_code == 200
    return conversation, handoff["id"]


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        ("resolved", "Camille a terminé la conversation : votre demande est traitée."),
        ("redirected", "Camille a terminé la conversation : votre demande relève d'un autre service"),
        ("person_left", "Camille a terminé la conversation, faute de réponse de votre part."),
        ("abusive", "Camille a mis fin à la conversation."),
        ("other", "Camille a terminé la conversation. Si vous avez une autre question"),
    ],
)
def test_closing_tells_the_outcome_and_the_bot_answers_the_next_message(
    gateway: TestClient, outcome: str, expected: str
) -> None:
    auth = agent_token(gateway, f"camille-{outcome}", "Camille")
    conversation, handoff_id = claimed_conversation(gateway, auth)
    joined = transcript(gateway, conversation)[-1]
    assert (joined["role"], joined["text"]) == ("system", JOINED)

    closed = gateway.post(f"/api/handoffs/{handoff_id}/close", json={"outcome": outcome}, headers=auth)
    assert closed.status_code == 200, closed.text
    last = transcript(gateway, conversation)[-1]
    assert last["role"] == "system" and last["text"].startswith(expected), last
    # one notice per outcome, and Rasa's own "the bot resumes" is not added to it
    assert not any("reprend" in (m["text"] or "") for m in transcript(gateway, conversation))

    answers = talk(gateway, conversation, "allo ?")
    texts = [m["text"] or "" for m in answers if m["role"] != "user"]
    assert texts and not any(BOT_CHALLENGE in t for t in texts), texts
    queue = gateway.get("/api/handoffs?status=waiting", headers=auth).json()["handoffs"]
    assert all(h["conversation_id"] != conversation for h in queue)
    assert transcript(gateway, conversation)[-len(answers) - 1]["status"] == "done"


def test_handing_back_says_who_left_then_the_bot_resumes(gateway: TestClient) -> None:
    auth = agent_token(gateway, "camille-back", "Camille")
    conversation, handoff_id = claimed_conversation(gateway, auth)
    closed = gateway.post(
        f"/api/handoffs/{handoff_id}/close", json={"outcome": "resolved", "back_to_bot": True}, headers=auth
    )
    assert closed.status_code == 200
    after = transcript(gateway, conversation)
    left = next(i for i, m in enumerate(after) if m["text"] == "Camille a quitté la conversation.")
    assert after[left]["role"] == "system"
    assert after[left + 1]["role"] == "bot" and "L'assistant automatique reprend" in after[left + 1]["text"]
    texts = [m["text"] or "" for m in talk(gateway, conversation, "allo ?") if m["role"] != "user"]
    assert texts and not any(BOT_CHALLENGE in t for t in texts), texts


def test_a_transfer_tells_who_joins(gateway: TestClient) -> None:
    camille = agent_token(gateway, "camille-transfer", "Camille")
    dominique = agent_token(gateway, "dominique", "Dominique")
    conversation, handoff_id = claimed_conversation(gateway, camille)
    agents = gateway.get("/api/agents", headers=camille).json()["agents"]
    target = next(a for a in agents if a["username"] == "dominique")
    moved = gateway.post(
        f"/api/handoffs/{handoff_id}/transfer", json={"agent_id": target["id"]}, headers=camille
    )
    assert moved.status_code == 200
    last = transcript(gateway, conversation)[-1]
    assert (last["role"], last["text"]) == (
        "system",
        "Dominique, du service d'accueil, a rejoint la conversation. Vous pouvez lui écrire ici.",
    )
    assert dominique
