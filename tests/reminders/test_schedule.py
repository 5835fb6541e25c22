"""When reminders go out: days before, sending hours, Sundays and public holidays skipped."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from assistant.reminders.schedule import Demarche, Policy, dated, parse_offsets

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


def local(moment: datetime) -> datetime:
    return moment.astimezone(PARIS).replace(tzinfo=None)


def demarche(due: date, fiche: str = "F1") -> Demarche:
    return Demarche(
        fiche, "Déclarer la naissance", "https://www.service-public.fr/particuliers/vosdroits/F961", due
    )


def test_reminders_before_and_a_follow_up_after_at_ten() -> None:
    planned = Policy().schedule([demarche(date(2027, 3, 24))], paris(2027, 3, 1, 15))  # a Wednesday deadline
    assert [(p.kind, local(p.send_at)) for p in planned] == [
        ("before", datetime(2027, 3, 17, 10)),
        ("before", datetime(2027, 3, 23, 10)),
        ("followup", datetime(2027, 3, 25, 10)),
    ]


def test_a_sunday_or_a_holiday_moves_a_reminder_earlier_and_a_follow_up_later() -> None:
    # Due Monday 10 May 2027: the day before is a Sunday, and Saturday 8 May is Victory Day.
    # Ascension is Thursday 6 May 2027. Deadline Friday 7 May: the day before (6 May) is a holiday.
    policy = Policy()
    monday = policy.reminders_for(demarche(date(2027, 5, 10)), paris(2027, 4, 1, 12))
    assert [local(p.send_at).date() for p in monday] == [
        date(2027, 5, 3),
        date(2027, 5, 7),
        date(2027, 5, 11),
    ]
    friday = policy.reminders_for(demarche(date(2027, 5, 7)), paris(2027, 4, 1, 12))
    # 30 April; 5 May (not the 6th); the follow-up skips Saturday 8 May (holiday) and Sunday 9 May.
    assert [local(p.send_at).date() for p in friday] == [
        date(2027, 4, 30),
        date(2027, 5, 5),
        date(2027, 5, 10),
    ]


def test_easter_monday_comes_from_the_holidays_library() -> None:
    policy = Policy()
    assert not policy.is_open_day(date(2027, 3, 29))  # Easter Monday 2027
    assert not policy.is_open_day(date(2028, 4, 17))  # Easter Monday 2028
    assert policy.is_open_day(date(2027, 3, 30))


def test_past_reminders_are_dropped_and_today_s_goes_out_now_within_hours() -> None:
    policy = Policy()
    # Consent at 15:00 on the day of the 1-day reminder: sent now, the 7-day one is past.
    planned = policy.reminders_for(demarche(date(2027, 3, 24)), paris(2027, 3, 23, 15))
    assert [(p.kind, local(p.send_at)) for p in planned] == [
        ("before", datetime(2027, 3, 23, 15)),
        ("followup", datetime(2027, 3, 25, 10)),
    ]
    # At 20:00 the same day it is too late: no reminder at night, none on the deadline.
    late = policy.reminders_for(demarche(date(2027, 3, 24)), paris(2027, 3, 23, 20))
    assert [p.kind for p in late] == ["followup"]


def test_reminders_moved_onto_the_same_day_are_one() -> None:
    # Offsets 2 and 1 before a Monday: Saturday and Sunday → Saturday only.
    planned = Policy(offsets=(2, 1)).reminders_for(demarche(date(2027, 3, 22)), paris(2027, 3, 1, 9))
    assert [local(p.send_at).date() for p in planned if p.kind == "before"] == [date(2027, 3, 20)]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (paris(2027, 3, 23, 8, 59), paris(2027, 3, 23, 9)),  # before opening: the same morning
        (paris(2027, 3, 23, 12, 30), paris(2027, 3, 23, 12, 30)),  # within hours: as it is
        (paris(2027, 3, 23, 19, 0), paris(2027, 3, 24, 9)),  # evening: the next morning
        (
            paris(2027, 3, 27, 19, 30),
            paris(2027, 3, 30, 9),
        ),  # Saturday evening: past Sunday and Easter Monday
    ],
)
def test_next_allowed_moment(moment: datetime, expected: datetime) -> None:
    assert Policy().next_allowed(moment) == expected.astimezone(timezone.utc)


def test_dated_keeps_one_future_deadline_per_fiche() -> None:
    items = [
        {"fiche_id": "F1", "title": "A", "url": None, "due_date": "2027-03-24"},
        {"fiche_id": "F1", "title": "A", "url": None, "due_date": "2027-03-20"},
        {"fiche_id": "F2", "title": "B", "url": None, "due_date": "2027-03-01"},  # past
        {"fiche_id": "F3", "title": "C", "url": None, "due_date": None},
        {"fiche_id": "F4", "title": "D", "url": None},
    ]
    assert [(d.fiche_id, d.due) for d in dated(items, date(2027, 3, 10))] == [("F1", date(2027, 3, 20))]


@pytest.mark.parametrize("raw", ["", "7,-1", "90", "a"])
def test_offsets_are_checked(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_offsets(raw)
