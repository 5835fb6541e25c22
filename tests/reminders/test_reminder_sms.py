"""Reminders by SMS: consent typed, a provider outage then recovery, a number given on the web,
answers by SMS, STOP and erasure cancelling everything."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant import texts
from assistant.conversations.models import Conversation
from channels.rendering import french_date
from channels.sms_segments import count_segments
from tests.channels.fakes import FakeSmsApi
from tests.channels.test_sms import new_number, send_sms
from tests.conftest import add_agent
from tests.reminders.conftest import Clock, app_state, item, run_sender, show_plan


def sms_conversation(client: TestClient, number: str) -> Conversation:
    send_sms(client, number, "bonjour")
    assert client.portal is not None
    found = client.portal.call(app_state(client).conversations.repository.find_by_sender, "sms", number)
    assert found is not None
    return found


def reminder_rows(client: TestClient, conversation_id: str) -> list[tuple[str, str, str | None]]:
    assert client.portal is not None
    rows = client.portal.call(app_state(client).reminders.repository.of_conversation, conversation_id)
    return [(r["kind"], r["status"], r["answer"]) for r in rows]


def test_a_provider_outage_is_retried_with_backoff_and_never_at_night(
    client: TestClient, sms_api: FakeSmsApi, clock: Clock
) -> None:
    number = new_number()
    conversation = sms_conversation(client, number)
    clock.at(2027, 3, 1, 12)
    offer, plan = show_plan(client, conversation, item("F961", "Déclarer la naissance", "2027-03-24"))
    assert offer.text == texts.text("reminder_offer_sms", offsets="7 jours et 1 jour")
    assert offer.buttons == () and (plan.custom or {})["type"] == "plan"  # the offer first
    send_sms(client, number, "OUI")
    assert sms_api.bodies(number)[-1].startswith("C'est noté : 2 rappels prévus, le premier le 17 mars.")

    sms_api.failures = 2
    clock.at(2027, 3, 17, 10, 0, 10)
    assert run_sender(client) == 0  # refused: tried again in 1 minute
    clock.advance(seconds=30)
    assert run_sender(client) == 0 and sms_api.failures == 1  # not due yet: nothing asked
    clock.advance(seconds=40)
    assert run_sender(client) == 0 and sms_api.failures == 0  # refused again: in 2 minutes
    clock.advance(minutes=2)
    before = len(sms_api.bodies(number))
    assert run_sender(client) == 1
    (reminder,) = sms_api.bodies(number)[before:]
    march24 = french_date("2027-03-24")
    assert reminder.startswith(f'Rappel : "Déclarer la naissance" avant le {march24} (il reste 7 jours).')
    assert "https://gateway.test/l/F961" in reminder  # the short link
    assert count_segments(reminder) <= 2
    assert "1. C'est fait" in reminder  # buttons as numbered choices
    assert run_sender(client) == 0  # sent once

    # The provider fails just before 19:00: the retry waits for the next morning.
    sms_api.failures = 1
    clock.at(2027, 3, 23, 18, 59)
    assert run_sender(client) == 0
    clock.at(2027, 3, 23, 19, 5)
    assert run_sender(client) == 0
    clock.at(2027, 3, 24, 9, 0, 5)
    assert run_sender(client) == 1
    assert "c'est aujourd'hui" in sms_api.bodies(number)[-1]
    # In the transcript once each, although the provider refused three times.
    assert client.portal is not None
    transcript = client.portal.call(app_state(client).conversations.repository.transcript, conversation.id)
    assert sum(f"avant le {march24}" in (m.text or "") for m in transcript) == 2

    send_sms(client, number, "1")  # "C'est fait", by its number
    assert sms_api.bodies(number)[-1] == texts.text("reminder_done_thanks")
    assert reminder_rows(client, conversation.id) == [
        ("before", "sent", None),
        ("before", "sent", "done"),
    ]


def test_web_reminders_by_sms_to_a_number_given_and_confirmed(
    client: TestClient, sms_api: FakeSmsApi, clock: Clock
) -> None:
    opened = client.post("/api/conversations", json={"channel": "web"}).json()
    assert client.portal is not None
    conversation = client.portal.call(app_state(client).conversations.repository.get, opened["id"])
    clock.at(2027, 3, 1, 12)
    (offer,) = show_plan(client, conversation, item("F1", "Inscrire l'enfant à l'école", "2027-03-24"))[1:]
    assert [b.payload for b in offer.buttons] == ["remind:sms", "remind:no"]

    def say(text: str | None = None, payload: str | None = None) -> list[str]:
        body = {"text": text} if payload is None else {"payload": payload}
        answer = client.post(f"/api/conversations/{conversation.id}/messages", json=body)
        assert answer.status_code == 200, answer.text
        return [m["text"] for m in answer.json()["messages"]]

    assert say(payload="remind:sms") == [texts.text("reminder_phone_question")]
    assert say("mon numéro c'est le 01 23 45") == [texts.text("reminder_phone_invalid")]
    number = new_number()  # +336…
    readable = "0" + number[3:]
    spaced = " ".join(readable[i : i + 2] for i in range(0, 10, 2))
    (confirm,) = say(spaced)
    assert confirm.startswith(f"J'enverrai les rappels par SMS au {spaced}.")
    assert run_sender(client) == 0 and sms_api.bodies(number) == []  # not before the "oui"
    (granted,) = say("oui d'accord")
    assert granted.startswith("C'est noté : 2 rappels prévus")

    clock.at(2027, 3, 17, 10, 0, 30)
    assert run_sender(client) == 1
    (reminder,) = sms_api.bodies(number)
    assert "Inscrire l'enfant à l'école" in reminder
    send_sms(client, number, "FAIT")  # the answer comes by SMS, from that number
    assert sms_api.bodies(number)[-1] == texts.text("reminder_done_thanks")
    assert reminder_rows(client, conversation.id) == [("before", "sent", "done")]  # the rest cancelled


def test_stop_by_sms_and_erasure_cancel_every_pending_reminder(
    client: TestClient, sms_api: FakeSmsApi, clock: Clock
) -> None:
    stopper, eraser = new_number(), new_number()
    stopped = sms_conversation(client, stopper)
    erased = sms_conversation(client, eraser)
    clock.at(2027, 3, 1, 12)
    for conversation, number in ((stopped, stopper), (erased, eraser)):
        show_plan(client, conversation, item("F1", "Déclarer le décès", "2027-03-24"))
        send_sms(client, number, "oui")
    send_sms(client, stopper, "STOP")  # the provider's keyword: the channel answers it
    statuses = {status for _, status, _ in reminder_rows_all(client, stopped.id)}
    assert statuses == {"cancelled"}
    admin = add_agent(client, f"admin{new_number()[4:]}", role="admin")
    response = client.delete(f"/api/conversations/{erased.id}", headers={"Authorization": f"Bearer {admin}"})
    assert response.status_code == 204
    assert reminder_rows_all(client, erased.id) == []
    before = len(sms_api.bodies())
    for day in (17, 23, 25):
        clock.at(2027, 3, day, 10, 0, 30)
        assert run_sender(client) == 0
    assert sms_api.bodies()[before:] == []


def reminder_rows_all(client: TestClient, conversation_id: str) -> list[tuple[str, str, str | None]]:
    """Every row, cancelled ones included."""
    import sqlalchemy as sa

    from assistant.storage.tables import reminders

    async def read() -> list[tuple[str, str, str | None]]:
        async with app_state(client).database.connect() as conn:
            rows = await conn.execute(
                sa.select(reminders.c.kind, reminders.c.status, reminders.c.answer)
                .where(reminders.c.conversation_id == conversation_id)
                .order_by(reminders.c.id)
            )
            return [(str(k), str(s), a) for k, s, a in rows.all()]

    assert client.portal is not None
    return client.portal.call(read)
