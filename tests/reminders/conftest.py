"""Fixtures of the reminder tests: the gateway with Telegram and SMS against local provider APIs,
and a clock the test moves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from assistant.conversations.models import Conversation, OutboundMessage
from tests.channels.conftest import (  # noqa: F401  (fixtures)
    app_state,
    bot_api,
    bot_api_server,
    client,
    settings,
    sms_api,
    sms_api_server,
)

PARIS = ZoneInfo("Europe/Paris")
SP = "https://www.service-public.fr/particuliers/vosdroits/"


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def at(self, *local: int) -> datetime:
        """Move to a local (Paris) time."""
        self.now = datetime(*local, tzinfo=PARIS).astimezone(timezone.utc)  # type: ignore[misc]
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> Clock:
    """The gateway's reminders on a clock of the test's; the background sender stopped (the test
    runs its passes)."""
    gateway: TestClient = request.getfixturevalue("client")
    state = app_state(gateway)
    assert gateway.portal is not None
    gateway.portal.call(state.reminder_sender.stop)
    moved = Clock(datetime.now(timezone.utc))
    state.reminders.clock = moved
    state.reminder_sender.clock = moved
    return moved


def item(fiche: str, title: str, due: str) -> dict[str, Any]:
    return {"fiche_id": fiche, "title": title, "url": SP + fiche, "due_date": due, "deadline": "avant le"}


def plan(*items: dict[str, Any]) -> OutboundMessage:
    """A plan as the dialogue sends it (actions/plan_view.py), with its dated items."""
    return OutboundMessage(
        text=None,
        custom={"type": "plan", "situations": [{"id": "F14128", "title": "Décès"}], "items": list(items)},
    )


def show_plan(
    gateway: TestClient, conversation: Conversation, *items: dict[str, Any]
) -> list[OutboundMessage]:
    """What the gateway adds after the dialogue's plan (the offer, once)."""
    assert gateway.portal is not None
    state = app_state(gateway)
    replies = gateway.portal.call(state.reminders.after_turn, conversation, None, [plan(*items)])
    added = [r for r in replies if (r.custom or {}).get("type") != "plan"]
    rendered = state.channel_runtime.registry.get(conversation.channel).renderer.render(added)
    gateway.portal.call(state.conversations.repository.add_outbound, conversation.id, "bot", rendered)
    return list(replies)


def run_sender(gateway: TestClient) -> int:
    assert gateway.portal is not None
    return int(gateway.portal.call(app_state(gateway).reminder_sender.run_once))
