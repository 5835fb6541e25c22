"""Two gateway instances on one database send every due reminder once, grouped, whoever claims it."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from assistant.config import Settings
from assistant.gateway.state import AppState
from assistant.reminders.schedule import Demarche, Planned
from tests.channels.fakes import FakeSmsApi
from tests.channels.test_sms import new_number
from tests.reminders.conftest import SP, Clock

PARIS = ZoneInfo("Europe/Paris")
CONVERSATIONS = 12


async def race(settings: Settings, sms_api: FakeSmsApi) -> tuple[Counter[str], list[int]]:
    first, second = await AppState.create(settings), await AppState.create(settings)
    try:
        clock = Clock(datetime(2027, 3, 1, 12, tzinfo=PARIS))
        for state in (first, second):
            state.reminders.clock = clock
            state.reminder_sender.clock = clock
        numbers = []
        for _ in range(CONVERSATIONS):
            number = new_number()
            conversation = await first.conversations.repository.create("sms", number)
            demarches = [
                Demarche(f"F{i}", f"Démarche {i}", SP + f"F{i}", datetime(2027, 3, 24).date()) for i in (1, 2)
            ]
            planned = first.reminders.policy.schedule(demarches, clock())
            await first.reminders.consents.offer(conversation.id, "sms", number, {"items": []}, clock())
            assert await first.reminders.consents.grant(conversation.id, number, planned, "sms", clock())
            numbers.append(number)
        clock.at(2027, 3, 17, 10, 0, 30)  # every 7-day reminder is due: one message per person
        sent = list(await asyncio.gather(first.reminder_sender.run_once(), second.reminder_sender.run_once()))
        sent += await asyncio.gather(first.reminder_sender.run_once(), second.reminder_sender.run_once())
        per_number = Counter(c.params["To"] for c in sms_api.named("Messages") if c.params["To"] in numbers)
        return per_number, sent
    finally:
        await first.close()
        await second.close()


def test_two_instances_send_each_reminder_once(
    settings: Settings, database_url: str, sms_api: FakeSmsApi
) -> None:
    per_number, sent = asyncio.run(race(settings.copy(update={"database_url": database_url}), sms_api))
    assert len(per_number) == CONVERSATIONS and set(per_number.values()) == {1}  # grouped, sent once
    assert sum(sent) == CONVERSATIONS and sent[2:] == [0, 0]
    bodies = sms_api.bodies()
    assert all("Démarche 1" in b and "Démarche 2" in b for b in bodies)


def test_the_background_sender_sends_a_due_reminder_within_its_interval(
    settings: Settings, sms_api: FakeSmsApi
) -> None:
    """The task the gateway starts, on the real event loop: a reminder due in one second goes out
    within the pass interval (here 0.5 s; 20 s by default, so within a minute)."""

    async def scenario() -> float:
        state = await AppState.create(settings.copy(update={"reminder_interval": 0.5}))
        started = asyncio.get_running_loop().time()
        monday = datetime(2027, 3, 15, 10, tzinfo=PARIS)  # an open day, within the hours

        def clock() -> datetime:
            return monday + timedelta(seconds=asyncio.get_running_loop().time() - started)

        state.reminders.clock = state.reminder_sender.clock = clock
        try:
            number = new_number()
            conversation = await state.conversations.repository.create("sms", number)
            due = Demarche("F1", "Déclarer la naissance", SP + "F1", datetime(2027, 3, 16).date())
            planned = [Planned("before", due, clock() + timedelta(seconds=1))]
            await state.reminders.consents.offer(conversation.id, "sms", number, {"items": []}, clock())
            assert await state.reminders.consents.grant(conversation.id, number, planned, "sms", clock())
            state.reminder_sender.start()
            while not sms_api.bodies(number):
                assert asyncio.get_running_loop().time() - started < 10, "not sent"
                await asyncio.sleep(0.05)
            return asyncio.get_running_loop().time() - started
        finally:
            await state.close()

    elapsed = asyncio.run(scenario())
    assert 1.0 <= elapsed < 1.0 + 0.5 + 1.0  # due at 1 s, one interval, and slack for a busy machine
