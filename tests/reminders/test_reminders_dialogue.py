"""The offer after a plan the real dialogue makes, on Telegram and by SMS, answered in words."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant import texts
from tests.channels.conftest import random_id
from tests.channels.fakes import FakeBotApi, FakeSmsApi
from tests.channels.test_sms import new_number, send_sms
from tests.channels.test_telegram import post, text_update
from tests.reminders.conftest import app_state

# The death of a parent, yesterday: the questions answered as people type them.
DEATH = ["mon père est décédé hier", "en france", "francais", "locataire", "il était salarié"]


def test_a_dated_plan_on_telegram_offers_reminders_and_yes_schedules_them(
    client: TestClient, bot_api: FakeBotApi
) -> None:
    chat = random_id()
    post(client, text_update(chat, "/start"))
    for message in DEATH:
        post(client, text_update(chat, message))
    sent = bot_api.sent_texts()
    offer = texts.text("reminder_offer", offsets="7 jours et 1 jour")
    assert sent.count(offer) == 1, sent[-4:]
    post(client, text_update(chat, "oui volontiers"))
    assert bot_api.sent_texts()[-1].startswith("C'est noté : ")
    assert client.portal is not None
    state = app_state(client)
    conversation = client.portal.call(state.conversations.repository.find_by_sender, "telegram", str(chat))
    assert conversation is not None
    reminders = client.portal.call(state.reminders.of_conversation, conversation.id)
    assert reminders and {r["channel"] for r in reminders} == {"telegram"}
    assert {r["status"] for r in reminders} == {"scheduled"}
    post(client, text_update(chat, "plus de rappels"))
    assert bot_api.sent_texts()[-1] == texts.text("reminder_stopped")


def test_by_sms_no_thanks_declines_and_the_dialogue_goes_on(client: TestClient, sms_api: FakeSmsApi) -> None:
    number = new_number()
    for message in DEATH:
        send_sms(client, number, message)
    offer = texts.text("reminder_offer_sms", offsets="7 jours et 1 jour")
    assert sms_api.bodies(number)[-1].startswith(offer)  # read first, before the plan
    send_sms(client, number, "non merci")
    assert sms_api.bodies(number)[-1] == texts.text("reminder_declined")
    send_sms(client, number, "c'est quoi un notaire ?")  # the offer is over: the dialogue answers
    assert sms_api.bodies(number)[-1] != texts.text("reminder_declined")
