"""The linear-time merge of our Redis tracker store gives what Rasa's own merge gives."""

from __future__ import annotations

import time

from rasa.core.tracker_store import RedisTrackerStore as RasaRedisTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.rasa.tracker_store import RedisTrackerStore


def turn(n: int, at: float) -> list[Event]:
    return [
        UserUttered(f"message {n}", {"name": "answer", "confidence": 1.0}, timestamp=at),
        ActionExecuted("action_situation", timestamp=at + 0.1),
        SlotSet("answers", {"q": str(n)}, timestamp=at + 0.2),
        BotUttered(f"réponse {n}", {"custom": {"type": "plan", "n": n}}, timestamp=at + 0.3),
        ActionExecuted("action_listen", timestamp=at + 0.4),
    ]


def tracker(events: list[Event]) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("person", events)


def dicts(t: DialogueStateTracker) -> list[dict[str, object]]:
    return [e.as_dict() for e in t.events]


def test_same_events_as_rasa_when_the_new_tracker_holds_only_the_last_session() -> None:
    first = [SessionStarted(timestamp=1.0), *turn(1, 2.0), *turn(2, 3.0)]
    second = [SessionStarted(timestamp=10.0), *turn(3, 11.0), *turn(4, 12.0)]
    prior = tracker(first + second[:6])
    new = tracker(second)  # what `retrieve` gives back: the last session only, then more events
    ours = RedisTrackerStore._merge_trackers(prior, new)
    theirs = RasaRedisTrackerStore._merge_trackers(prior, new)
    assert dicts(ours) == dicts(theirs)
    assert len(ours.events) == len(first) + len(second)  # nothing lost, nothing doubled


def test_unchanged_prefix_returns_the_new_tracker() -> None:
    prior = tracker([*turn(1, 1.0)])
    new = tracker([*turn(1, 1.0), *turn(2, 2.0)])
    assert RedisTrackerStore._merge_trackers(prior, new) is new
    assert RedisTrackerStore._merge_trackers(tracker([]), new) is new


def test_merge_is_linear_in_the_conversation_length() -> None:
    events: list[Event] = [SessionStarted(timestamp=0.5)]
    for n in range(300):
        events += turn(n, 1.0 + n)
    prior = tracker(events[:-5])
    new = tracker([SessionStarted(timestamp=0.5), *events[-400:]])
    started = time.perf_counter()
    ours = RedisTrackerStore._merge_trackers(prior, new)
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    theirs = RasaRedisTrackerStore._merge_trackers(prior, new)
    theirs_s = time.perf_counter() - started
    assert dicts(ours) == dicts(theirs)
    assert ours_s * 5 < theirs_s
