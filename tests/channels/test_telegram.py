"""The Telegram channel end to end: webhook → real Rasa stack → local Bot API server."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.conversations.models import Button, OutboundMessage
from assistant.ops.telegram_cli import poll, set_webhook
from channels.telegram import CALLBACK_DATA_MAX_BYTES, TelegramChannel
from tests.channels.conftest import WEBHOOK_SECRET, app_state, random_id, settle
from tests.channels.fakes import FakeBotApi

WEBHOOK = "/channels/telegram/webhook"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


def user(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Camille"}


def text_update(chat_id: int, text: str, update_id: int | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": random_id(),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private"},
        "from": user(chat_id),
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id or random_id(), "message": message}


def button_update(chat_id: int, data: str, markup: Any = None) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": random_id(),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private"},
        "text": "question",
    }
    if markup:
        message["reply_markup"] = markup
    query = {"id": f"cb{random_id()}", "from": user(chat_id), "chat_instance": "ci", "data": data}
    return {"update_id": random_id(), "callback_query": {**query, "message": message}}


def post(client: TestClient, update: dict[str, Any]) -> None:
    response = client.post(WEBHOOK, json=update, headers=HEADERS)
    assert response.status_code == 200 and response.json() == {"ok": True}
    settle(client)


def transcript(client: TestClient, chat_id: int) -> list[Any]:
    state = app_state(client)
    repository = state.conversations.repository
    conversation = client.portal.call(repository.find_by_sender, "telegram", str(chat_id))  # type: ignore[union-attr]
    assert conversation is not None
    return list(client.portal.call(repository.transcript, conversation.id))  # type: ignore[union-attr]


def test_start_sends_the_welcome(client: TestClient, bot_api: FakeBotApi) -> None:
    chat_id = random_id()
    post(client, text_update(chat_id, "/start"))
    sent = bot_api.named("sendMessage")
    assert sent and all(c.params["chat_id"] == chat_id for c in sent)
    assert "assistant des démarches" in sent[0].params["text"]


def test_situation_question_with_inline_keyboard_then_a_pressed_button(
    client: TestClient, bot_api: FakeBotApi
) -> None:
    chat_id = random_id()
    post(client, text_update(chat_id, "/start"))
    bot_api.reset()
    post(client, text_update(chat_id, "je déménage le mois prochain"))
    with_keyboard = [c for c in bot_api.named("sendMessage") if c.params.get("reply_markup")]
    assert with_keyboard, bot_api.sent_texts()
    question = with_keyboard[-1]
    rows = question.params["reply_markup"]["inline_keyboard"]
    titles = [row[0]["text"] for row in rows]
    assert titles[:2] == ["Locataire", "Propriétaire"]
    assert all(len(row[0]["callback_data"].encode()) <= CALLBACK_DATA_MAX_BYTES for row in rows)

    bot_api.reset()
    first = rows[0][0]
    update = button_update(chat_id, first["callback_data"], question.params["reply_markup"])
    post(client, update)
    answered = bot_api.named("answerCallbackQuery")
    assert [c.params["callback_query_id"] for c in answered] == [update["callback_query"]["id"]]
    following = bot_api.sent_texts()
    assert following and question.params["text"] not in following  # the dialogue moved on
    pressed = [m for m in transcript(client, chat_id) if m.role == "user"][-1]
    assert (pressed.text, pressed.payload) == ("Locataire", first["callback_data"])


def test_repeated_update_id_is_processed_once(client: TestClient, bot_api: FakeBotApi) -> None:
    chat_id = random_id()
    update = text_update(chat_id, "bonjour")
    post(client, update)
    count = len(bot_api.named("sendMessage"))
    post(client, update)
    post(client, update)
    assert len(bot_api.named("sendMessage")) == count
    assert [m.text for m in transcript(client, chat_id) if m.role == "user"] == ["bonjour"]


def test_wrong_or_missing_secret_is_refused_and_nothing_is_stored(
    client: TestClient, bot_api: FakeBotApi
) -> None:
    chat_id = random_id()
    for headers in ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {}):
        response = client.post(WEBHOOK, json=text_update(chat_id, "/start"), headers=headers)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    settle(client)
    repository = app_state(client).conversations.repository
    assert client.portal.call(repository.find_by_sender, "telegram", str(chat_id)) is None  # type: ignore[union-attr]
    assert bot_api.named("sendMessage") == []


def test_malformed_update_is_a_400(client: TestClient) -> None:
    response = client.post(WEBHOOK, content=b"{not json", headers=HEADERS)
    assert response.status_code == 400
    assert client.post(WEBHOOK, json={"no": "update"}, headers=HEADERS).status_code == 400
    broken = {"update_id": 5, "message": {"chat": "not a chat"}}
    assert client.post(WEBHOOK, json=broken, headers=HEADERS).status_code == 400


def test_long_agent_message_is_split_under_4096(client: TestClient, bot_api: FakeBotApi) -> None:
    chat_id = random_id()
    post(client, text_update(chat_id, "/start"))
    bot_api.reset()
    state = app_state(client)
    channel = state.channel_runtime.registry.adapters["telegram"]
    repository = state.conversations.repository
    conversation = client.portal.call(repository.find_by_sender, "telegram", str(chat_id))  # type: ignore[union-attr]
    long_text = "\n".join(f"Ligne {i} : " + "démarche " * 12 for i in range(120))
    stored = client.portal.call(
        repository.add_outbound, conversation.id, "agent", [OutboundMessage(text=long_text)]
    )  # type: ignore[union-attr]
    client.portal.call(channel.deliver, conversation, stored)  # type: ignore[union-attr]
    texts = bot_api.sent_texts()
    assert len(long_text) > 3 * 4096 and len(texts) >= 4
    assert all(len(t) <= 4096 for t in texts)
    assert " ".join(texts).split() == long_text.split()


def test_long_button_payload_travels_by_reference(client: TestClient, bot_api: FakeBotApi) -> None:
    chat_id = random_id()
    post(client, text_update(chat_id, "/start"))
    state = app_state(client)
    channel = state.channel_runtime.registry.adapters["telegram"]
    assert isinstance(channel, TelegramChannel)
    repository = state.conversations.repository
    conversation = client.portal.call(repository.find_by_sender, "telegram", str(chat_id))  # type: ignore[union-attr]
    payload = "je déménage le mois prochain avec mes deux enfants et notre vieux chat"
    buttons = (Button("Court", "/greet"), Button("Long", payload))
    stored = client.portal.call(
        repository.add_outbound,
        conversation.id,
        "agent",
        [OutboundMessage(text="Choisissez", buttons=buttons)],
    )  # type: ignore[union-attr]
    bot_api.reset()
    client.portal.call(channel.deliver, conversation, stored)  # type: ignore[union-attr]
    markup = bot_api.named("sendMessage")[0].params["reply_markup"]
    data = [row[0]["callback_data"] for row in markup["inline_keyboard"]]
    assert data == ["/greet", f"#{stored[0].id}:1"]
    post(client, button_update(chat_id, data[1], markup))
    pressed = [m for m in transcript(client, chat_id) if m.role == "user"][-1]
    assert (pressed.text, pressed.payload) == ("Long", payload)
    # a reference to a message of another conversation, or out of range, is ignored
    before = len(transcript(client, chat_id))
    post(client, button_update(chat_id, f"#{stored[0].id}:7"))
    post(client, button_update(chat_id, "#1:0"))
    assert len(transcript(client, chat_id)) == before


def test_set_webhook_registers_url_and_secret(settings: Settings, bot_api: FakeBotApi) -> None:
    url = asyncio.run(set_webhook(settings))
    assert url == "https://gateway.test/channels/telegram/webhook"
    (call,) = bot_api.named("setWebhook")
    assert call.params["url"] == url and call.params["secret_token"] == WEBHOOK_SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query"]


def test_poll_mode_reads_updates_and_answers(settings: Settings, bot_api: FakeBotApi) -> None:
    chat_id = random_id()
    bot_api.updates.append(text_update(chat_id, "/start", update_id=random_id()))

    async def run() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(poll(settings, stop, timeout=0))
        deadline = time.monotonic() + 30
        while not bot_api.named("sendMessage") and time.monotonic() < deadline and not task.done():
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(task, 30)

    asyncio.run(run())
    assert bot_api.named("deleteWebhook")
    assert bot_api.named("getUpdates")
    sent = bot_api.named("sendMessage")
    assert sent and sent[0].params["chat_id"] == chat_id
    assert "assistant des démarches" in sent[0].params["text"]
