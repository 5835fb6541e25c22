"""An agent joining, handing back and closing is told on Telegram and by SMS, through deliver()."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.channels.conftest import app_state, random_id
from tests.channels.fakes import FakeBotApi, FakeSmsApi
from tests.channels.test_sms import new_number, send_sms
from tests.channels.test_telegram import post, text_update

PASSWORD = "mot-de-passe-solide"
JOINED = "Camille, du service d'accueil, a rejoint la conversation. Vous pouvez lui écrire ici."


def agent(client: TestClient, username: str) -> dict[str, str]:
    state = app_state(client)
    client.portal.call(state.agents.add, username, PASSWORD, "agent", "Camille")  # type: ignore[union-attr]
    token = client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def waiting_handoff(client: TestClient, auth: dict[str, str], channel: str, sender: str) -> dict[str, Any]:
    repository = app_state(client).conversations.repository
    conversation = client.portal.call(repository.find_by_sender, channel, sender)  # type: ignore[union-attr]
    assert conversation is not None
    waiting = client.get("/api/handoffs?status=waiting", headers=auth).json()["handoffs"]
    (handoff,) = [h for h in waiting if h["conversation_id"] == conversation.id]
    return dict(handoff)


def test_telegram_is_told_who_joins_and_how_it_ended(client: TestClient, bot_api: FakeBotApi) -> None:
    auth = agent(client, "camille-telegram")
    chat_id = random_id()
    post(client, text_update(chat_id, "/start"))
    post(client, text_update(chat_id, "je veux parler à un conseiller"))
    handoff = waiting_handoff(client, auth, "telegram", str(chat_id))

    bot_api.reset()
    assert client.post(f"/api/handoffs/{handoff['id']}/claim", headers=auth).status_code == 200
    assert bot_api.sent_texts() == [JOINED]
    assert all(c.params["chat_id"] == chat_id for c in bot_api.named("sendMessage"))

    bot_api.reset()
    closed = client.post(f"/api/handoffs/{handoff['id']}/close", json={"outcome": "redirected"}, headers=auth)
    assert closed.status_code == 200
    (notice,) = bot_api.sent_texts()
    assert notice.startswith("Camille a terminé la conversation : votre demande relève d'un autre service")

    bot_api.reset()
    post(client, text_update(chat_id, "allo ?"))  # the bot answers again, sensibly
    answers = bot_api.sent_texts()
    assert answers and not any("Je suis un assistant automatique" in t for t in answers), answers


def test_sms_is_told_who_joins_and_who_hands_back_in_one_message(
    client: TestClient, sms_api: FakeSmsApi
) -> None:
    auth = agent(client, "camille-sms")
    number = new_number()
    send_sms(client, number, "je veux parler à un conseiller")
    handoff = waiting_handoff(client, auth, "sms", number)

    sms_api.reset()
    assert client.post(f"/api/handoffs/{handoff['id']}/claim", headers=auth).status_code == 200
    assert sms_api.bodies(number) == [JOINED]

    sms_api.reset()
    closed = client.post(
        f"/api/handoffs/{handoff['id']}/close",
        json={"outcome": "resolved", "back_to_bot": True},
        headers=auth,
    )
    assert closed.status_code == 200
    (body,) = sms_api.bodies(number)  # the notice and the bot's resumption: one SMS turn
    assert body.startswith("Camille a quitté la conversation.\n\nL'assistant automatique reprend"), body
