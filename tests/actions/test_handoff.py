"""ActionHandoff: the control message the gateway turns into a handoff, with its reason and priority."""

from __future__ import annotations

from typing import Any

import pytest

from actions.handoff import ActionHandoff, handoff_reason
from tests.actions.conftest import tracker_from_history
from tests.actions.expect import custom
from tests.actions.history import Event, bot, button, fallback, run, session, slot, turn, user

UNRELATED = [("greet", 0.3), ("thank", 0.12)]


def misunderstood(text: str, reply: str = "utter_default") -> list[Event]:
    return turn(fallback(text, UNRELATED), "action_situation", bot(reply))


def situation(sid: str) -> list[Event]:
    return turn(user("…", f"situation_{sid}"), "action_situation", slot("situations", [sid]))


def handoff(reason: str, priority: int) -> dict[str, Any]:
    return custom({"type": "handoff", "reason": reason, "priority": priority})


CASES = {
    "asked, nothing special": (
        [*situation("F14128"), user("je veux parler à quelqu'un", "ask_human")],
        "explicit_request",
        1,
    ),
    "asked after one misunderstanding": (
        [*misunderstood("blabla"), user("un conseiller", "ask_human")],
        "explicit_request",
        1,
    ),
    "asked after two misunderstandings": (
        [*misunderstood("blabla"), *misunderstood("bla", "utter_offer_human"), button("/ask_human")],
        "misunderstood",
        1,
    ),
    "a death": ([*situation("F16507"), user("je veux parler à quelqu'un", "ask_human")], "sensitive", 3),
    "a separation, after two misunderstandings": (
        [*situation("F33362"), *misunderstood("a"), *misunderstood("b"), user("un humain", "ask_human")],
        "sensitive",
        3,
    ),
    "frustration": ([*situation("F14128"), user("vous ne servez à rien", "frustration")], "frustration", 2),
    "frustration beats a sensitive situation": (
        [*situation("F33959"), user("c'est nul", "frustration")],
        "frustration",
        2,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_reason_and_priority(case: str, domain: dict[str, Any]) -> None:
    turns, reason, priority = CASES[case]
    history = [*session(), *turns]
    assert handoff_reason(tracker_from_history(history), domain) == reason
    assert run(ActionHandoff(), history, domain) == ([], [handoff(reason, priority)])


def test_a_situation_without_empathy_wording_is_not_sensitive(domain: dict[str, Any]) -> None:
    del domain["responses"]["utter_empathy_F16507"]
    history = [*session(), *situation("F16507"), user("un conseiller svp", "ask_human")]
    assert run(ActionHandoff(), history, domain) == ([], [handoff("explicit_request", 1)])


def test_misunderstandings_before_the_last_understood_message_do_not_count(domain: dict[str, Any]) -> None:
    understood = turn(user("merci", "thank"), "utter_thank", bot("utter_thank"))
    history = [
        *session(),
        *misunderstood("a"),
        *misunderstood("b"),
        *understood,
        user("un humain", "ask_human"),
    ]
    assert run(ActionHandoff(), history, domain) == ([], [handoff("explicit_request", 1)])
