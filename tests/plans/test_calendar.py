"""The action plan as an iCalendar file, read back line by line as a calendar application would."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar  # type: ignore[import-untyped]

from assistant.plans.calendar import escape_text, fold_line, plan_to_ics

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=timezone.utc)
URL = "https://www.service-public.fr/particuliers/vosdroits/F1234"


def item(fiche_id: str = "F1234", due: Any = "2026-04-01", **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "fiche_id": fiche_id,
        "title": "Déclarer le décès",
        "url": URL,
        "due_date": due,
        "deadline_phrase": "Dans les 6 mois",
        "explanation": "Parce que vous êtes l'héritier.",
    }
    return values | extra


def export(*items: dict[str, Any], seed: str = "plan-42", now: datetime = NOW) -> str:
    return plan_to_ics(list(items), title="Mes démarches", uid_seed=seed, now=now)


def physical_lines(ics: str) -> list[bytes]:
    data = ics.encode("utf-8")
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    for line in lines:
        assert b"\r" not in line and b"\n" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")  # each physical line holds whole characters
    return lines


def unfold(ics: str) -> list[str]:
    logical: list[str] = []
    for raw in physical_lines(ics):
        line = raw.decode("utf-8")
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def parse(ics: str) -> list[dict[str, list[str]]]:
    """The components (calendar, events, alarms) as {name[;params]: [raw values]}, in order."""
    components: list[dict[str, list[str]]] = []
    stack: list[dict[str, list[str]]] = []
    for line in unfold(ics):
        name, value = line.split(":", 1)
        if name == "BEGIN":
            stack.append({"BEGIN": [value]})
            components.append(stack[-1])
        elif name == "END":
            assert stack.pop()["BEGIN"] == [value]
        else:
            stack[-1].setdefault(name, []).append(value)
    assert not stack
    return components


def of_kind(ics: str, kind: str) -> list[dict[str, list[str]]]:
    return [component for component in parse(ics) if component["BEGIN"] == [kind]]


def test_calendar_header() -> None:
    ics = export(item())
    assert ics.startswith("BEGIN:VCALENDAR\r\n")
    assert ics.endswith("END:VCALENDAR\r\n")
    (calendar,) = of_kind(ics, "VCALENDAR")
    assert calendar["PRODID"] == ["-//Assistant démarches//FR"]
    assert calendar["VERSION"] == ["2.0"]
    assert calendar["CALSCALE"] == ["GREGORIAN"]
    assert calendar["METHOD"] == ["PUBLISH"]
    assert calendar["X-WR-CALNAME"] == ["Mes démarches"]


def test_crlf_line_endings_only() -> None:
    ics = export(item(), item("F2", title="a\nb\r\nc\rd"))
    assert "\n" not in ics.replace("\r\n", "")
    assert "\r" not in ics.replace("\r\n", "")


def test_one_all_day_event_per_item_with_a_due_date() -> None:
    ics = export(item("F1"), item("F2", due=None), item("F3", due=""), item("F4", due="2026-12-31"))
    events = of_kind(ics, "VEVENT")
    assert [unescape(event["SUMMARY"][0]) for event in events] == ["Déclarer le décès"] * 2
    assert [event["DTSTART;VALUE=DATE"] for event in events] == [["20260401"], ["20261231"]]
    assert [event["DTEND;VALUE=DATE"] for event in events] == [["20260402"], ["20270101"]]
    assert all(event["DTSTAMP"] == ["20260310T093000Z"] for event in events)
    assert all(event["URL"] == [URL] for event in events)


def test_description_holds_explanation_deadline_and_link() -> None:
    (event,) = of_kind(export(item()), "VEVENT")
    description = unescape(event["DESCRIPTION"][0])
    assert (
        description == f"Parce que vous êtes l'héritier.\nDélai : Dans les 6 mois\nFiche officielle : {URL}"
    )


def test_missing_optional_fields() -> None:
    (event,) = of_kind(export({"fiche_id": "F9", "title": "", "due_date": "2026-05-02"}), "VEVENT")
    assert unescape(event["SUMMARY"][0]) == "Démarche à effectuer"
    assert event["DESCRIPTION"] == [""]
    assert "URL" not in event


def test_a_reminder_three_days_before() -> None:
    ics = export(item(), item("F2", due="2027-01-01"))
    alarms = of_kind(ics, "VALARM")
    assert len(alarms) == 2
    for alarm in alarms:
        assert alarm["ACTION"] == ["DISPLAY"]
        assert alarm["TRIGGER"] == ["-P3D"]
    assert unescape(alarms[0]["DESCRIPTION"][0]).startswith("Rappel : « Déclarer le décès »")
    assert unescape(alarms[0]["DESCRIPTION"][0]).endswith("le 1er avril.")
    assert unescape(alarms[1]["DESCRIPTION"][0]).endswith("le 1er janvier 2027.")


def test_escaping_round_trips() -> None:
    title = "Acte ; copie, intégrale\nà demander \\ vite"
    ics = export(item(title=title, explanation="Un, deux ; trois\\quatre"))
    (event,) = of_kind(ics, "VEVENT")
    assert event["SUMMARY"] == ["Acte \\; copie\\, intégrale\\nà demander \\\\ vite"]
    assert unescape(event["SUMMARY"][0]) == title
    assert unescape(event["DESCRIPTION"][0]).startswith("Un, deux ; trois\\quatre\n")


def test_long_accented_title_with_emoji_folds_between_characters() -> None:
    title = (
        "Déclaration de décès à la mairie 🏛️ — pièces à fournir : acte, livret, pièce d'identité 👪 ✅ éàçù"
    )
    assert len(f"SUMMARY:{title}".encode()) > 75
    ics = export(item(title=title))
    lines = physical_lines(ics)
    start = next(i for i, line in enumerate(lines) if line.startswith(b"SUMMARY:"))
    assert lines[start + 1].startswith(b" ")
    (event,) = of_kind(ics, "VEVENT")
    assert unescape(event["SUMMARY"][0]) == title


def test_uids_are_stable_and_distinct() -> None:
    first = export(item("F1"), item("F2"))
    again = export(item("F2"), item("F1"), now=NOW + timedelta(days=3))
    uids = [event["UID"][0] for event in of_kind(first, "VEVENT")]
    assert len(set(uids)) == 2
    assert all(re.fullmatch(r"[0-9a-f]{64}@assistant-demarches", uid) for uid in uids)
    assert [event["UID"][0] for event in of_kind(again, "VEVENT")] == uids[::-1]
    other_seed = [event["UID"][0] for event in of_kind(export(item("F1"), seed="other"), "VEVENT")]
    assert other_seed[0] != uids[0]


def test_a_repeated_fiche_gets_distinct_uids() -> None:
    uids = [event["UID"][0] for event in of_kind(export(item("F1"), item("F1", due="2026-05-01")), "VEVENT")]
    assert len(set(uids)) == 2


def test_same_input_same_output() -> None:
    assert export(item(), item("F2", due=date(2026, 6, 1))) == export(
        item(), item("F2", due=date(2026, 6, 1))
    )


def test_dtstamp_is_utc() -> None:
    paris = timezone(timedelta(hours=2))
    (event,) = of_kind(export(item(), now=datetime(2026, 7, 1, 0, 15, tzinfo=paris)), "VEVENT")
    assert event["DTSTAMP"] == ["20260630T221500Z"]
    (naive,) = of_kind(export(item(), now=datetime(2026, 7, 1, 0, 15)), "VEVENT")
    assert naive["DTSTAMP"] == ["20260701T001500Z"]


def test_a_plan_without_dates_gives_a_calendar_without_events() -> None:
    ics = export(item(due=None))
    assert of_kind(ics, "VEVENT") == []
    assert len(of_kind(ics, "VCALENDAR")) == 1


def test_a_due_date_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(ValueError):
        export(item(due="bientôt"))


def test_the_library_reads_back_the_plan() -> None:
    """Parsed back by `icalendar` itself: one event per dated item, with its dates, texts and link."""
    long_title = "Demander l'allocation de soutien familial (ASF) à la caisse d'allocations familiales, éàçù"
    plan = [
        item("F1", due="2026-04-01", title="Déclarer le décès ; à la mairie, vite"),
        item("F2", due=None, title="Sans date"),
        {
            "fiche_id": "F3",
            "title": long_title,
            "url": "https://www.service-public.fr/particuliers/vosdroits/F815",
            "due_date": date(2026, 12, 31),
            "deadline_phrase": "Avant la fin de l'année",
            "explanation": "Première ligne,\r\ndeuxième ligne ; fin.",
        },
        {"fiche_id": "F4", "title": "Sans lien", "url": "", "due_date": datetime(2027, 2, 28, 15, 0)},
    ]
    ics = plan_to_ics(plan, title="Mes démarches — décès", uid_seed="plan-7", now=NOW)
    calendar = Calendar.from_ical(ics)
    assert str(calendar["X-WR-CALNAME"]) == "Mes démarches — décès"
    assert str(calendar["PRODID"]) == "-//Assistant démarches//FR"
    events = calendar.walk("VEVENT")
    assert [event.decoded("DTSTART") for event in events] == [
        date(2026, 4, 1),
        date(2026, 12, 31),
        date(2027, 2, 28),
    ]
    assert [event.decoded("DTEND") for event in events] == [
        date(2026, 4, 2),
        date(2027, 1, 1),
        date(2027, 3, 1),
    ]
    assert [str(event["SUMMARY"]) for event in events] == [
        "Déclarer le décès ; à la mairie, vite",
        long_title,
        "Sans lien",
    ]
    assert [str(event["URL"]) if "URL" in event else None for event in events] == [
        URL,
        "https://www.service-public.fr/particuliers/vosdroits/F815",
        None,
    ]
    assert str(events[1]["DESCRIPTION"]) == (
        "Première ligne,\ndeuxième ligne ; fin.\nDélai : Avant la fin de l'année\n"
        "Fiche officielle : https://www.service-public.fr/particuliers/vosdroits/F815"
    )
    assert str(events[2]["DESCRIPTION"]) == ""
    assert all(event.decoded("DTSTAMP") == NOW for event in events)
    assert len({str(event["UID"]) for event in events}) == 3
    for event, day in zip(events, ("1er avril", "31 décembre", "28 février 2027"), strict=True):
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(days=-3)
        assert str(alarm["DESCRIPTION"]) == (
            f"Rappel : « {event['SUMMARY']} » à faire au plus tard le {day}."
        )


def test_fold_line_sizes() -> None:
    lines = list(fold_line("a" * 200))
    assert [len(line) for line in lines] == [74, 75, 53]  # the library keeps the first line at 74
    assert all(line.startswith(" ") for line in lines[1:])
    assert "".join(line[1:] if i else line for i, line in enumerate(lines)) == "a" * 200
    assert list(fold_line("court")) == ["court"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
@example("Pièce \\N°3 ; copie, \\ fin\r")
def test_escape_and_fold_round_trip(text: str) -> None:
    lines = list(fold_line("SUMMARY:" + escape_text(text)))
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = "".join(line[1:] if i else line for i, line in enumerate(lines))
    lines_normalized = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept = "".join(c for c in lines_normalized if c in "\n\t" or unicodedata.category(c) != "Cc")
    # icalendar writes a literal backslash followed by N as a line break (the RFC's `\N` spelling)
    assert unescape(unfolded.removeprefix("SUMMARY:")) == kept.replace("\\N", "\n")
