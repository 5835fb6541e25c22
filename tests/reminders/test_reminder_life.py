"""A whole reminder life on Telegram, through the webhook and the local Bot API, on a moved clock:
consent, reminders (a night and holidays skipped, two démarches grouped), FAIT, a follow-up,
STOP; the context API and the indicators."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from assistant import texts
from assistant.conversations.models import Conversation
from channels.rendering import french_date
from tests.channels.conftest import random_id
from tests.channels.fakes import FakeBotApi
from tests.channels.test_telegram import button_update, post, text_update
from tests.conftest import add_agent
from tests.reminders.conftest import Clock, app_state, item, run_sender, show_plan


def telegram_conversation(client: TestClient, chat_id: int) -> Conversation:
    post(client, text_update(chat_id, "/start"))
    repository = app_state(client).conversations.repository
    assert client.portal is not None
    conversation = client.portal.call(repository.find_by_sender, "telegram", str(chat_id))
    assert conversation is not None
    return conversation


def sent_since(bot_api: FakeBotApi, before: int) -> list[dict[str, Any]]:
    return [c.params for c in bot_api.named("sendMessage")[before:]]


def pass_at(client: TestClient, clock: Clock, bot_api: FakeBotApi, *local: int) -> list[str]:
    """One pass of the sender at a local time; the texts it sent."""
    clock.at(*local)
    before = len(bot_api.named("sendMessage"))
    run_sender(client)
    return [params["text"] for params in sent_since(bot_api, before)]


def test_a_whole_reminder_life(client: TestClient, bot_api: FakeBotApi, clock: Clock) -> None:
    chat = random_id()
    conversation = telegram_conversation(client, chat)
    clock.at(2027, 4, 22, 20, 30)  # a Thursday evening
    replies = show_plan(
        client,
        conversation,
        item("F1", "Déclarer le décès", "2027-05-07"),  # Friday, the day after Ascension
        item("F2", "Résilier le bail", "2027-05-10"),  # Monday, after Victory Day and a Sunday
        item("F3", "Prévenir la banque", "2027-05-10"),
        item("F4", "Succession : déclaration", "2027-05-20"),
        item("F5", "Sans date", "2027-01-01"),  # past: no reminder
    )
    offer = replies[-1]
    assert offer.text == texts.text("reminder_offer", offsets="7 jours et 1 jour")
    assert [b.payload for b in offer.buttons] == ["remind:yes", "remind:no"]
    assert run_sender(client) == 0  # nothing without consent

    before = len(bot_api.named("sendMessage"))
    post(client, text_update(chat, "oui"))
    (granted,) = [p["text"] for p in sent_since(bot_api, before)]
    assert granted.startswith("C'est noté : 8 rappels prévus, le premier le 30 avril.")

    assert pass_at(client, clock, bot_api, 2027, 4, 30, 9, 59) == []  # not yet
    # The gateway was down at 10:00 and comes back at night: nothing at 21:00; Saturday 1 May is a
    # holiday and 2 May a Sunday, so the reminder waits for Monday 9:00.
    assert pass_at(client, clock, bot_api, 2027, 4, 30, 21, 0) == []
    assert pass_at(client, clock, bot_api, 2027, 5, 1, 11, 0) == []
    assert pass_at(client, clock, bot_api, 2027, 5, 2, 11, 0) == []
    (first,) = pass_at(client, clock, bot_api, 2027, 5, 3, 9, 0, 30)
    may7, may10 = french_date("2027-05-07"), french_date("2027-05-10")  # "7 mai" or "7 mai 2027"
    assert f"« Déclarer le décès » est à faire avant le {may7} (il vous reste 4 jours)" in first
    assert "https://www.service-public.fr/particuliers/vosdroits/F1" in first
    # Two deadlines on the same day: one message.
    (grouped,) = pass_at(client, clock, bot_api, 2027, 5, 3, 10, 0, 30)
    assert grouped.startswith(
        f"Rappel : ces démarches sont à faire avant le {may10} (il vous reste 7 jours) :"
    )
    assert "Résilier le bail" in grouped and "Prévenir la banque" in grouped
    assert "Répondez FAIT quand c'est fait, ou STOP" in grouped
    keyboard = bot_api.named("sendMessage")[-1].params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["C'est fait", "Plus de rappels"]

    before = len(bot_api.named("sendMessage"))
    post(client, text_update(chat, "Fait !"))  # for the last reminder: both démarches
    assert [p["text"] for p in sent_since(bot_api, before)] == [texts.text("reminder_done_thanks")]

    (last_day,) = pass_at(client, clock, bot_api, 2027, 5, 5, 10, 1)  # not on Ascension Day
    assert "il vous reste 2 jours" in last_day
    assert pass_at(client, clock, bot_api, 2027, 5, 7, 10, 1) == []  # F2 and F3 are done
    (follow_up,) = pass_at(client, clock, bot_api, 2027, 5, 10, 10, 1)
    assert follow_up == f"Avez-vous pu faire « Déclarer le décès » ? La date limite était le {may7}."
    keyboard = bot_api.named("sendMessage")[-1].params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["Oui", "Pas encore", "J'ai besoin d'aide"]

    before = len(bot_api.named("sendMessage"))
    post(client, text_update(chat, "pas encore"))
    (not_yet,) = [p["text"] for p in sent_since(bot_api, before)]
    assert not_yet.startswith("D'accord. Faites-le dès que possible") and not_yet.endswith("/F1")

    before = len(bot_api.named("sendMessage"))
    post(client, text_update(chat, "STOP"))
    assert [p["text"] for p in sent_since(bot_api, before)] == [texts.text("reminder_stopped")]
    assert pass_at(client, clock, bot_api, 2027, 5, 13, 10, 1) == []  # F4's reminders: cancelled
    assert pass_at(client, clock, bot_api, 2027, 5, 19, 10, 1) == []

    token = add_agent(client, f"agent{random_id()}")
    context = client.get(
        f"/api/conversations/{conversation.id}/context", headers={"Authorization": f"Bearer {token}"}
    ).json()
    timeline = [
        (r["fiche_id"], r["kind"], r["send_at"][:16], r["status"], r["answer"]) for r in context["reminders"]
    ]
    assert timeline == [
        ("F1", "before", "2027-05-03T07:00", "sent", None),
        ("F2", "before", "2027-05-03T08:00", "sent", "done"),
        ("F3", "before", "2027-05-03T08:00", "sent", "done"),
        ("F1", "before", "2027-05-05T08:00", "sent", None),
        ("F1", "followup", "2027-05-10T08:00", "sent", "not_yet"),
    ]
    assert {r["channel"] for r in context["reminders"]} == {"telegram"}

    admin = {"Authorization": f"Bearer {add_agent(client, f'admin{random_id()}', role='admin')}"}
    stats = client.get("/api/stats", headers=admin).json()["reminders"]  # the last 30 days
    assert stats == {
        "offered": 1,
        "consented": 1,
        "withdrawn": 1,
        "consent_rate": 1.0,
        "reminders_sent": 4,  # F1 twice, F2 and F3 in one message
        "followups_sent": 1,
        "demarches_done": 2,
        "demarches_not_yet": 1,
        "help_requested": 0,
    }


def test_reminder_buttons_answer_and_belong_to_their_conversation(
    client: TestClient, bot_api: FakeBotApi, clock: Clock
) -> None:
    chat, other = random_id(), random_id()
    conversation = telegram_conversation(client, chat)
    intruder = telegram_conversation(client, other)
    clock.at(2027, 3, 1, 12)
    show_plan(client, conversation, item("F1", "Déclarer la naissance", "2027-03-24"))
    show_plan(client, intruder, item("F9", "Autre", "2027-03-24"))
    post(client, button_update(chat, "remind:yes"))  # a payload pressed as a button
    (sent,) = pass_at(client, clock, bot_api, 2027, 3, 17, 10, 0, 5)
    assert "« Déclarer la naissance »" in sent
    state = app_state(client)
    assert client.portal is not None
    rows = client.portal.call(state.reminders.repository.of_conversation, conversation.id)
    batch = next(r["batch"] for r in rows if r["status"] == "sent")
    # Another person cannot answer for this reminder with a forged payload.
    post(client, button_update(other, f"reminder:done:{batch}"))
    rows = client.portal.call(state.reminders.repository.of_conversation, conversation.id)
    assert all(r["answer"] is None for r in rows)
    before = len(bot_api.named("sendMessage"))
    post(client, button_update(chat, f"reminder:done:{batch}"))
    assert [p["text"] for p in sent_since(bot_api, before)] == [texts.text("reminder_done_thanks")]
    rows = client.portal.call(state.reminders.repository.of_conversation, conversation.id)
    assert [(r["kind"], r["status"], r["answer"]) for r in rows] == [("before", "sent", "done")]


def test_help_after_a_follow_up_opens_a_handoff_with_the_plan(
    client: TestClient, bot_api: FakeBotApi, clock: Clock
) -> None:
    chat = random_id()
    conversation = telegram_conversation(client, chat)
    clock.at(2027, 3, 1, 12)
    show_plan(client, conversation, item("F1", "Déclarer la naissance", "2027-03-24"))
    post(client, text_update(chat, "ok"))  # "ok" is a yes
    assert pass_at(client, clock, bot_api, 2027, 3, 17, 10, 1)
    assert pass_at(client, clock, bot_api, 2027, 3, 23, 10, 1)
    assert pass_at(client, clock, bot_api, 2027, 3, 25, 10, 1)  # the follow-up
    before = len(bot_api.named("sendMessage"))
    post(client, text_update(chat, "non j'ai besoin d'aide"))
    texts_sent = [p["text"] for p in sent_since(bot_api, before)]
    assert texts_sent[0] == texts.text("followup_help_answer")
    state = app_state(client)
    assert client.portal is not None
    handoff = client.portal.call(state.handoffs.repository.open_for, conversation.id)
    assert handoff is not None and handoff.reason == "followup_help"
    # The dialogue knew no plan here (it came from the test): the packet has the reminders' one.
    assert [i["fiche_id"] for i in handoff.packet["plan"]] == ["F1"]
    assert handoff.packet["summary"].startswith(texts.text("handoff_reason_followup_help"))
