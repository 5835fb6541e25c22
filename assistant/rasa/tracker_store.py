"""Rasa's Redis tracker store with a linear-time merge (loaded by Rasa from endpoints.yml).

On every save, Rasa 3.6's `RedisTrackerStore` merges the stored tracker with the new one and,
unless the stored events are exactly a prefix in time of the new ones, compares every new event
with every stored one through `as_dict()`: quadratic in the length of the conversation, a fifth
of a Rasa worker's time per message in our profiles. The merge below gives the same events in the
same order, comparing each event's serialised form once. Everything else is Rasa's class.

Only the Rasa process imports this module (`type: assistant.rasa.tracker_store.RedisTrackerStore`).
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.tracker_store import RedisTrackerStore as RasaRedisTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker


def _event_key(event: Any) -> str:
    return json.dumps(event.as_dict(), sort_keys=True, default=str)


class RedisTrackerStore(RasaRedisTrackerStore):  # type: ignore[misc]
    @staticmethod
    def _merge_trackers(
        prior_tracker: DialogueStateTracker, tracker: DialogueStateTracker
    ) -> DialogueStateTracker:
        """The prior sessions' events, then the new events not already among them."""
        if not prior_tracker.events:
            return tracker
        last_event_timestamp = prior_tracker.events[-1].timestamp
        past_tracker = tracker.travel_back_in_time(target_time=last_event_timestamp)
        if past_tracker.events == prior_tracker.events:
            return tracker

        merged = tracker.init_copy()
        merged.update_with_events(list(prior_tracker.events), override_timestamp=False, domain=None)
        seen = {_event_key(event) for event in merged.events}
        for new_event in tracker.events:
            key = _event_key(new_event)
            if key not in seen:
                merged.update(new_event)
                seen.add(key)
        return merged
