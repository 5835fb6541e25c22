"""The privacy notice opens every conversation, on every channel, before any answer."""

from __future__ import annotations

import yaml
from fastapi.testclient import TestClient

from assistant import texts
from assistant.config import PROJECT_ROOT
from tests.channels.fakes import FakeBotApi, FakeSmsApi
from tests.channels.test_sms import new_number, send_sms
from tests.channels.test_telegram import post, random_id, text_update


def notice() -> str:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    text: str = domain["responses"]["utter_privacy_notice"][0]["text"]
    return text.strip()


def test_web_conversation_opens_with_the_notice(client: TestClient) -> None:
    created = client.post("/api/conversations")
    assert created.status_code == 201
    welcome = [m["text"] for m in created.json()["messages"]]
    assert notice() in welcome and len(welcome) <= 2  # the greeting, then the notice: nothing else first
    with client.websocket_connect(f"/ws/conversations/{created.json()['id']}") as ws:
        ws.send_json({"type": "resume", "after": 0})
        replayed = [ws.receive_json()["message"]["text"] for _ in welcome]
    assert replayed == welcome  # the widget shows the same opening


def test_telegram_start_and_first_message_get_the_notice(client: TestClient, bot_api: FakeBotApi) -> None:
    started = random_id()
    post(client, text_update(started, "/start"))
    texts_sent = [c.params["text"] for c in bot_api.named("sendMessage") if c.params["chat_id"] == started]
    assert notice()[:60] in " ".join(texts_sent[:2])  # in the first two messages sent
    direct = random_id()  # no /start: the first message opens the conversation
    post(client, text_update(direct, "je déménage"))
    first = [c.params["text"] for c in bot_api.named("sendMessage") if c.params["chat_id"] == direct]
    assert notice()[:60] in " ".join(first[:2])


def test_sms_first_message_gets_the_notice_first(client: TestClient, sms_api: FakeSmsApi) -> None:
    number = new_number()
    send_sms(client, number, "je déménage")
    bodies = sms_api.bodies(number)
    assert bodies[0] == texts.text("sms_privacy_notice") and len(bodies) == 2
    send_sms(client, number, "1")
    assert sms_api.bodies(number).count(texts.text("sms_privacy_notice")) == 1  # once per conversation
    stopped = new_number()  # STOP as a first word: only the STOP confirmation
    send_sms(client, stopped, "STOP")
    (only,) = sms_api.bodies(stopped)
    assert "START" in only
    send_sms(client, stopped, "bonjour")  # an opted-out number receives nothing, not even the notice
    assert sms_api.bodies(stopped) == [only]
