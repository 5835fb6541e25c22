"""Timing phrases: normalisation, dates, French wording, urgency order."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.kb.timing import Deadline, describe, due_date, normalise, timing_phrase, urgency_key


@pytest.mark.parametrize(
    ("phrase", "kind", "amount", "unit", "days"),
    [
        ("Dans les 24 heures", "after", 24, "hour", 1),
        ("Dans les 6 jours", "after", 6, "day", 6),
        ("Dans les 5 jours qui suivent la naissance", "after", 5, "day", 5),
        ("Dans le mois qui suit la naissance", "after", 1, "month", 30),
        ("Au plus tôt et dans le mois", "after", 1, "month", 30),
        ("Dans les 4 mois maximum", "after", 4, "month", 120),
        ("Dans les 6 mois qui suivent l'achat", "after", 6, "month", 180),
        ("Dans l'année", "after", 1, "year", 365),
        ("Dans la 1re année de l'enfant", "after", 1, "year", 365),
        ("Avant le déménagement", "before", 0, "day", 0),
        ("Avant l'achat", "before", 0, "day", 0),
        ("Pendant la grossesse", "before", 0, "day", 0),
        ("Lors de l'achat", "on", None, None, 0),
        ("Après la naissance", "after", None, None, None),
        ("Au plus tôt après l'achat", "after", None, None, None),
        ("À tout moment après la naissance", "anytime", None, None, None),
        ("Entre 2 et 3 ans", "period", 3, "year", 1095),
        ("À partir de 12 ans", "period", None, "year", None),
        ("2 mois avant le départ", "before", 2, "month", 60),
    ],
)
def test_normalise(phrase: str, kind: str, amount: int | None, unit: str | None, days: int | None) -> None:
    deadline = normalise(phrase)
    assert deadline is not None
    assert (deadline.phrase, deadline.kind, deadline.amount, deadline.unit, deadline.days) == (
        phrase, kind, amount, unit, days,
    )  # fmt: skip


def test_asap_and_event() -> None:
    deadline = normalise("Au plus tôt et dans le mois")
    assert deadline is not None and deadline.asap
    after_birth = normalise("Dans les 15 jours qui suivent la naissance")
    assert after_birth is not None and after_birth.event == "la naissance"


def test_timing_phrase_detection() -> None:
    assert timing_phrase("Dans les 24 heures : constat et déclaration du décès") == "Dans les 24 heures"
    assert timing_phrase("Dans l'année : déclaration d'impôt") == "Dans l'année"
    assert timing_phrase("Démarches liées au logement actuel") is None
    assert timing_phrase("Dans la fonction publique") is None
    assert timing_phrase("Des aides pour vous") is None
    assert timing_phrase("Dès la naissance") == "Dès la naissance"
    # Looks like timing but no rule understands it: the build reports it.
    unknown = timing_phrase("Jusqu'à la fin des travaux")
    assert unknown == "Jusqu'à la fin des travaux" and normalise(unknown) is None


def test_dates_and_french_wording() -> None:
    event = date(2025, 1, 31)
    one_month = normalise("Dans le mois")
    assert one_month is not None
    assert due_date(one_month, event) == date(2025, 2, 28)  # calendar month, clamped
    assert describe(one_month, event) == "avant le 28 février 2025"
    assert describe(one_month) == "Dans le mois"
    day = normalise("Dans les 24 heures")
    assert day is not None and describe(day, date(2025, 3, 23)) == "avant le 24 mars 2025"
    before = normalise("Avant le déménagement")
    assert before is not None and describe(before, date(2025, 3, 1)) == "avant le 1er mars 2025"
    soon = normalise("Au plus tôt et dans le mois")
    assert (
        soon is not None and describe(soon, date(2025, 3, 1)) == "dès que possible, avant le 1er avril 2025"
    )
    period = normalise("Entre 2 et 3 ans")
    assert (
        period is not None and describe(period, date(2024, 2, 29)) == "du 28 février 2026 au 28 février 2027"
    )
    anytime = normalise("À tout moment après la naissance")
    assert anytime is not None and due_date(anytime, event) is None
    assert describe(anytime, event) == "à tout moment à partir du 31 janvier 2025"
    year = normalise("Dans l'année")
    assert year is not None and due_date(year, date(2024, 2, 29)) == date(2025, 2, 28)


def test_urgency_order() -> None:
    phrases = [
        "À tout moment après la naissance", "Dans l'année", "Avant l'achat", "Dans les 24 heures",
        "Après la naissance", "Lors de l'achat", "Au plus tôt après l'achat", "Dans les 6 jours",
    ]  # fmt: skip
    deadlines: list[Deadline | None] = [normalise(p) for p in phrases]
    deadlines.append(None)
    ordered = [d.phrase if d else None for d in sorted(deadlines, key=urgency_key)]
    assert ordered == [
        "Avant l'achat", "Lors de l'achat", "Au plus tôt après l'achat", "Dans les 24 heures",
        "Dans les 6 jours", "Dans l'année", "Après la naissance", None, "À tout moment après la naissance",
    ]  # fmt: skip


def test_deadline_round_trip() -> None:
    deadline = normalise("Dans les 5 jours qui suivent la naissance")
    assert deadline is not None and Deadline.from_dict(deadline.to_dict()) == deadline
