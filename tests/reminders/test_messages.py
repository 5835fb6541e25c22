"""What the person types to give a number, and how the offer reads."""

from __future__ import annotations

import pytest

from assistant.reminders.messages import offsets_phrase, parse, parse_mobile, readable_phone


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("c'est le 06 11 22 33 44", "+33611223344"),
        ("+33 6 11 22 33 44", "+33611223344"),
        ("+33 (0)6 11 22 33 44", "+33611223344"),
        ("0033611223344", "+33611223344"),
        ("07.11.22.33.44", "+33711223344"),
        ("mon numéro 0611223344 merci", "+33611223344"),
        ("01 23 45 67 89", None),  # a landline receives no SMS
        ("06 11 22 33", None),  # too short
        ("06112233445", None),  # too long
        ("le 6 mai", None),
    ],
)
def test_a_french_mobile_number_is_found_in_what_is_typed(text: str, number: str | None) -> None:
    assert parse_mobile(text) == number


def test_a_number_is_read_back_in_pairs() -> None:
    assert readable_phone("+33611223344") == "06 11 22 33 44"


def test_offsets_read_as_words() -> None:
    assert offsets_phrase((7, 1)) == "7 jours et 1 jour"
    assert offsets_phrase((1,)) == "1 jour"
    assert offsets_phrase((1, 14, 3)) == "14 jours, 3 jours et 1 jour"


@pytest.mark.parametrize(
    "payload", ["/remind:yes", "remind:yes:", "reminder:done:x", "followup:done:1:2", None, ""]
)
def test_only_the_gateway_s_own_payloads_are_read(payload: str | None) -> None:
    assert parse(payload) is None


def test_payloads_carry_their_batch() -> None:
    pressed = parse("followup:not_yet:42")
    assert pressed is not None and (pressed.kind, pressed.value, pressed.batch) == ("followup", "not_yet", 42)
