"""Hostile webhook requests against the real gateway and Rasa: 4xx JSON, nothing stored, nothing sent;
a replayed update or MessageSid (even with another text) processed once."""

from __future__ import annotations

import json
import secrets

import pytest
from fastapi.testclient import TestClient

from channels.sms import twilio_signature
from tests.channels.conftest import PUBLIC_BASE_URL, SMS_FROM, app_state, random_id, settle
from tests.channels.fakes import FakeBotApi, FakeSmsApi
from tests.channels.test_sms import new_number, send_sms, user_messages
from tests.channels.test_telegram import HEADERS, WEBHOOK, post, text_update, transcript

SMS_WEBHOOK = "/channels/sms/webhook"


def nothing_for(client: TestClient, channel: str, sender: str) -> bool:
    repository = app_state(client).conversations.repository
    return client.portal.call(repository.find_by_sender, channel, sender) is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"update_id": 1, "message": {"text": "\xff\xfe"}}', 400),  # invalid UTF-8
        (b"[" * 10_000 + b"]" * 10_000, 400),  # nested 10,000 deep
        (b'{"update_id": 2, "message": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", 400),
        (json.dumps({"update_id": 3, "message": {"text": "x" * 70_000}}).encode(), 413),
    ],
    ids=["invalid-utf8", "nested", "nested-in-update", "oversized"],
)
def test_unreadable_telegram_updates(
    client: TestClient, bot_api: FakeBotApi, body: bytes, status: int
) -> None:
    response = client.post(WEBHOOK, content=body, headers={**HEADERS, "content-type": "application/json"})
    assert response.status_code == status
    assert response.json()["error"]["message"]
    settle(client)
    assert bot_api.named("sendMessage") == []


def test_replayed_update_with_another_text_is_ignored(client: TestClient, bot_api: FakeBotApi) -> None:
    chat_id = random_id()
    first = text_update(chat_id, "bonjour")
    post(client, first)
    sent = len(bot_api.named("sendMessage"))
    forged = text_update(chat_id, "je veux parler à un conseiller", update_id=first["update_id"])
    post(client, forged)
    assert len(bot_api.named("sendMessage")) == sent
    assert [m.text for m in transcript(client, chat_id) if m.role == "user"] == ["bonjour"]


def test_forged_sms_with_another_body_under_a_valid_signature_of_something_else(
    client: TestClient, sms_api: FakeSmsApi
) -> None:
    number = new_number()
    params = {"From": number, "To": SMS_FROM, "Body": "bonjour", "MessageSid": "SM" + secrets.token_hex(16)}
    signature = twilio_signature(FakeSmsApi.TOKEN, PUBLIC_BASE_URL + SMS_WEBHOOK, params.items())
    tampered = {**params, "Body": "STOP"}
    response = client.post(SMS_WEBHOOK, data=tampered, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    wrong_url = twilio_signature(FakeSmsApi.TOKEN, "https://evil.test" + SMS_WEBHOOK, params.items())
    response = client.post(SMS_WEBHOOK, data=params, headers={"X-Twilio-Signature": wrong_url})
    assert response.status_code == 403
    settle(client)
    assert nothing_for(client, "sms", number) and sms_api.bodies(number) == []


def test_replayed_sms_with_another_body_is_ignored(client: TestClient, sms_api: FakeSmsApi) -> None:
    number = new_number()
    sid = "SM" + secrets.token_hex(16)
    send_sms(client, number, "bonjour", sid=sid)
    sent = len(sms_api.bodies(number))
    send_sms(client, number, "STOP", sid=sid)
    assert len(sms_api.bodies(number)) == sent
    assert [m.text for m in user_messages(client, number)] == ["bonjour"]


def test_sms_body_with_controls_and_oversized_form(client: TestClient, sms_api: FakeSmsApi) -> None:
    number = new_number()
    send_sms(client, number, "bon\x00jour\x07")
    assert [m.text for m in user_messages(client, number)] == ["bonjour"]
    big = {
        "From": new_number(),
        "To": SMS_FROM,
        "Body": "x" * 70_000,
        "MessageSid": "SM" + secrets.token_hex(16),
    }
    signature = twilio_signature(FakeSmsApi.TOKEN, PUBLIC_BASE_URL + SMS_WEBHOOK, big.items())
    response = client.post(SMS_WEBHOOK, data=big, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"
    settle(client)
    assert nothing_for(client, "sms", big["From"])
