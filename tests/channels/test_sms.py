"""The SMS channel end to end: signed webhook → real Rasa stack → local provider REST API."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi.testclient import TestClient

from assistant import texts
from assistant.conversations.models import OutboundMessage
from channels.sms import twilio_signature
from channels.sms_segments import count_segments
from tests.channels.conftest import PUBLIC_BASE_URL, SMS_FROM, app_state, settle
from tests.channels.fakes import FakeSmsApi

WEBHOOK = "/channels/sms/webhook"


def new_number() -> str:
    return "+336" + "".join(secrets.choice("0123456789") for _ in range(8))


def send_sms(
    client: TestClient, number: str, body: str, sid: str | None = None, signature: str | None = None
) -> Any:
    params = {
        "From": number,
        "To": SMS_FROM,
        "Body": body,
        "MessageSid": sid or "SM" + secrets.token_hex(16),
        "AccountSid": FakeSmsApi.SID,
    }
    if signature is None:
        signature = twilio_signature(FakeSmsApi.TOKEN, PUBLIC_BASE_URL + WEBHOOK, params.items())
    response = client.post(WEBHOOK, data=params, headers={"X-Twilio-Signature": signature})
    settle(client)
    return response


def user_messages(client: TestClient, number: str) -> list[Any]:
    repository = app_state(client).conversations.repository
    conversation = client.portal.call(repository.find_by_sender, "sms", number)  # type: ignore[union-attr]
    if conversation is None:
        return []
    messages = client.portal.call(repository.transcript, conversation.id)  # type: ignore[union-attr]
    return [m for m in messages if m.role == "user"]


def test_signature_follows_twilio_algorithm() -> None:
    # The example of Twilio's documentation on webhook security.
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert twilio_signature("12345", url, params.items()) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def test_bad_or_missing_signature_is_refused(client: TestClient, sms_api: FakeSmsApi) -> None:
    number = new_number()
    for signature in ("bm9wZQ==", ""):
        response = send_sms(client, number, "bonjour", signature=signature)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    assert sms_api.bodies() == [] and user_messages(client, number) == []


def test_numbered_choices_and_a_digit_reply(client: TestClient, sms_api: FakeSmsApi) -> None:
    number = new_number()
    response = send_sms(client, number, "je déménage le mois prochain")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert "<Response/>" in response.text
    notice, body = sms_api.bodies(number)  # the privacy notice first, then the answer
    assert notice == texts.text("sms_privacy_notice") and count_segments(notice) == 1
    assert "1. Locataire\n2. Propriétaire\n" in body
    assert "Répondez 1, 2" in body and " ou " in body
    assert count_segments(body) <= 3
    call = sms_api.named("Messages")[0]
    assert (call.params["From"], call.params["To"]) == (SMS_FROM, number)

    send_sms(client, number, "1")
    replies = sms_api.bodies(number)
    assert len(replies) == 3 and replies[2] != body
    digit = user_messages(client, number)[-1]
    assert digit.text == "1" and digit.payload is not None and digit.payload.startswith("/answer")


def test_duplicate_message_sid_is_processed_once(client: TestClient, sms_api: FakeSmsApi) -> None:
    number = new_number()
    sid = "SM" + secrets.token_hex(16)
    for _ in range(3):
        assert send_sms(client, number, "bonjour", sid=sid).status_code == 200
    assert len(sms_api.bodies(number)) == 2  # the privacy notice and one answer
    assert [m.text for m in user_messages(client, number)] == ["bonjour"]


def test_long_answer_is_cut_at_three_segments_and_suite_sends_the_rest(
    client: TestClient, sms_api: FakeSmsApi
) -> None:
    number = new_number()
    send_sms(client, number, "bonjour")
    sms_api.reset()
    state = app_state(client)
    channel = state.channel_runtime.registry.adapters["sms"]
    repository = state.conversations.repository
    conversation = client.portal.call(repository.find_by_sender, "sms", number)  # type: ignore[union-attr]
    words = [f"mot{i}" for i in range(300)]
    stored = client.portal.call(
        repository.add_outbound, conversation.id, "agent", [OutboundMessage(text=" ".join(words))]
    )  # type: ignore[union-attr]
    client.portal.call(channel.deliver, conversation, stored)  # type: ignore[union-attr]
    received = list(sms_api.bodies(number))
    while "SUITE" in received[-1] and len(received) < 10:
        send_sms(client, number, "suite")
        received = sms_api.bodies(number)
    assert len(received) >= 3
    assert all(count_segments(b) <= 3 for b in received)
    assert all(b.endswith("(Répondez SUITE pour lire la suite.)") for b in received[:-1])
    shown = " ".join(b.replace("(Répondez SUITE pour lire la suite.)", "") for b in received).split()
    assert shown == words


def test_stop_then_nothing_is_sent_until_start(client: TestClient, sms_api: FakeSmsApi) -> None:
    number = new_number()
    send_sms(client, number, "bonjour")
    sms_api.reset()
    send_sms(client, number, "Arrêt")
    (confirmation,) = sms_api.bodies(number)
    assert "START" in confirmation
    send_sms(client, number, "je déménage")
    send_sms(client, number, "stop")
    state = app_state(client)
    repository = state.conversations.repository
    conversation = client.portal.call(repository.find_by_sender, "sms", number)  # type: ignore[union-attr]
    stored = client.portal.call(
        repository.add_outbound,
        conversation.id,
        "agent",
        [OutboundMessage(text="Bonjour, ici un conseiller.")],
    )  # type: ignore[union-attr]
    client.portal.call(state.channel_runtime.registry.adapters["sms"].deliver, conversation, stored)  # type: ignore[union-attr]
    assert sms_api.bodies(number) == [confirmation]
    assert [m.status for m in user_messages(client, number)][-3:] == ["done", "opted_out", "done"]

    send_sms(client, number, "start")
    send_sms(client, number, "bonjour")
    bodies = sms_api.bodies(number)
    assert len(bodies) == 3 and "de nouveau" in bodies[1]


def test_stop_variants_are_recognised(client: TestClient, sms_api: FakeSmsApi) -> None:
    for word in ("STOP", "arret", "ARRÊT.", " Stop "):
        number = new_number()
        send_sms(client, number, word)
        assert len(sms_api.bodies(number)) == 1
        send_sms(client, number, "bonjour")
        assert len(sms_api.bodies(number)) == 1
