"""Opening hours, the live broker and the agent's summary."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from assistant.handoff.hours import OpeningHours
from assistant.handoff.packet import agent_summary
from assistant.infra.broker import MemoryBroker


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_opening_hours_in_paris_time() -> None:
    hours = OpeningHours.parse("1-5 09:00-17:00", "Europe/Paris")
    assert hours.is_open(at("2026-11-23T08:30:00+00:00"))  # Monday 9:30 in Paris
    assert not hours.is_open(at("2026-11-23T16:30:00+00:00"))  # 17:30 in Paris
    assert not hours.is_open(at("2026-11-22T10:00:00+00:00"))  # Sunday
    reopening = hours.next_opening(at("2026-11-21T12:00:00+00:00"))  # Saturday
    assert reopening.isoformat() == "2026-11-23T09:00:00+01:00"
    assert OpeningHours.parse("always", "Europe/Paris").is_open(at("2026-11-22T03:00:00+00:00"))


@pytest.mark.parametrize("spec", ["lundi 9h", "5-1 09:00-17:00", "1-5 18:00-09:00", "8 09:00-10:00"])
def test_bad_opening_hours_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        OpeningHours.parse(spec, "Europe/Paris")


async def test_broker_fans_out_to_subscribers_of_a_topic() -> None:
    broker = MemoryBroker()
    async with (
        broker.subscribe("handoffs") as first,
        broker.subscribe("handoffs") as second,
        broker.subscribe("other") as other,
    ):
        await broker.publish("handoffs", {"n": 1})
        assert await asyncio.wait_for(first.__anext__(), 1) == {"n": 1}
        assert await asyncio.wait_for(second.__anext__(), 1) == {"n": 1}
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(other.__anext__(), 0.05)
    await broker.publish("handoffs", {"n": 2})  # nobody listens: nothing kept


def test_summary_has_two_to_four_lines() -> None:
    context = {
        "situations": [{"id": "F16507", "title": "Je dois faire face au décès d'un proche"}],
        "answers": [{"question": "Lieu du décès", "answer": "Le décès a eu lieu en France"}],
        "plan": [{"fiche_id": "F1"}, {"fiche_id": "F2"}],
        "open_questions": [],
    }
    lines = agent_summary(context, "sensitive").splitlines()
    assert lines == [
        "Situation sensible : la personne a accepté l'aide d'un conseiller.",
        "Situation : Je dois faire face au décès d'un proche.",
        "Réponses données : Le décès a eu lieu en France.",
        "Plan montré : 2 démarche(s) ; questions restées sans réponse : 0.",
    ]
    assert len(agent_summary({}, "explicit_request").splitlines()) == 2
