"""Event dates read from French messages, against fixed days."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.french.dates import extract_event_date, format_date_fr

TUESDAY = date(2026, 3, 10)  # a Tuesday
AUTUMN = date(2026, 10, 5)  # a Monday

POSITIVE = [
    # today and around
    ("hier", TUESDAY, date(2026, 3, 9)),
    ("mon père est décédé hier soir à l'hôpital", TUESDAY, date(2026, 3, 9)),
    ("avant-hier", TUESDAY, date(2026, 3, 8)),
    ("Aujourd'hui", TUESDAY, TUESDAY),
    ("AUJOURD’HUI", TUESDAY, TUESDAY),
    ("ajd", TUESDAY, TUESDAY),
    ("papa est parti ce matin", TUESDAY, TUESDAY),
    ("DEMAIN", TUESDAY, date(2026, 3, 11)),
    ("2main", TUESDAY, date(2026, 3, 11)),
    ("après-demain", TUESDAY, date(2026, 3, 12)),
    ("apres demain", TUESDAY, date(2026, 3, 12)),
    # day and month
    ("le 15 mars", TUESDAY, date(2026, 3, 15)),
    ("le 15 MARS", TUESDAY, date(2026, 3, 15)),
    ("15/03", TUESDAY, date(2026, 3, 15)),
    ("15/03/2027", TUESDAY, date(2027, 3, 15)),
    ("15-03-2027", TUESDAY, date(2027, 3, 15)),
    ("15.03.2027", TUESDAY, date(2027, 3, 15)),
    ("15/03/27", TUESDAY, date(2027, 3, 15)),
    ("2027-03-15", TUESDAY, date(2027, 3, 15)),
    ("le 15 mars 2027", TUESDAY, date(2027, 3, 15)),
    ("le 1er avril", TUESDAY, date(2026, 4, 1)),
    ("le premier avril", TUESDAY, date(2026, 4, 1)),
    ("le vingt et un mars", TUESDAY, date(2026, 3, 21)),
    ("le vingt-deux mars", TUESDAY, date(2026, 3, 22)),
    ("le dix-sept mars", TUESDAY, date(2026, 3, 17)),
    ("le trente avril", TUESDAY, date(2026, 4, 30)),
    ("le 15 fevirer", TUESDAY, date(2026, 2, 15)),
    ("le 15 sept", TUESDAY, date(2025, 9, 15)),  # 176 days ago is nearer than 189 days ahead
    ("lundi 16 mars", TUESDAY, date(2026, 3, 16)),
    ("le 10 mars dernier", TUESDAY, date(2025, 3, 10)),
    ("le 10 mars prochain", TUESDAY, date(2027, 3, 10)),
    ("mon père est décédé le 20 octobre", TUESDAY, date(2025, 10, 20)),
    ("le mariage est prévu le 20 septembre", TUESDAY, date(2026, 9, 20)),
    ("convocation pour le 3 février", TUESDAY, date(2027, 2, 3)),
    ("au chômage depuis le 3 avril", TUESDAY, date(2025, 4, 3)),
    ("Aujourd'hui je voudrais déclarer ma fille, née le 3 mars", TUESDAY, date(2026, 3, 3)),
    # weekdays
    ("lundi dernier", TUESDAY, date(2026, 3, 9)),
    ("lundi prochain", TUESDAY, date(2026, 3, 16)),
    ("mardi prochain", TUESDAY, date(2026, 3, 17)),
    ("mardi", TUESDAY, TUESDAY),
    ("jeudi", TUESDAY, date(2026, 3, 12)),
    ("samedi", TUESDAY, date(2026, 3, 7)),
    ("vendredy prochain", TUESDAY, date(2026, 3, 13)),
    ("papy est decede mardi", TUESDAY, date(2026, 3, 3)),
    ("je déménage samedi", TUESDAY, date(2026, 3, 14)),
    # weeks, months, years
    ("la semaine dernière", TUESDAY, date(2026, 3, 3)),
    ("la semaine prochaine", TUESDAY, date(2026, 3, 17)),
    ("la smaine pro", TUESDAY, date(2026, 3, 17)),
    ("le mois prochain", TUESDAY, date(2026, 4, 1)),
    ("jrentre en france le mois pro", TUESDAY, date(2026, 4, 1)),
    ("le mois dernier", TUESDAY, date(2026, 2, 1)),
    ("l'année prochaine", TUESDAY, date(2027, 1, 1)),
    ("l'an dernier", TUESDAY, date(2025, 1, 1)),
    # offsets
    ("dans trois semaines", TUESDAY, date(2026, 3, 31)),
    ("dans 3 semaines", TUESDAY, date(2026, 3, 31)),
    ("ds 3 sem", TUESDAY, date(2026, 3, 31)),
    ("d'ici 3 semaines", TUESDAY, date(2026, 3, 31)),
    ("dans 2 jours", TUESDAY, date(2026, 3, 12)),
    ("dans quinze jours", TUESDAY, date(2026, 3, 24)),
    ("dans une quinzaine de jours", TUESDAY, date(2026, 3, 24)),
    ("dans 15 jours", TUESDAY, date(2026, 3, 25)),
    ("dans huit jours", TUESDAY, date(2026, 3, 17)),
    ("dans sept jours", TUESDAY, date(2026, 3, 17)),
    ("dans un mois", TUESDAY, date(2026, 4, 10)),
    ("dans 6 mois", TUESDAY, date(2026, 9, 10)),
    ("ma retraite c'est dans 2 ans", TUESDAY, date(2028, 3, 10)),
    ("il y a 3 jours", TUESDAY, date(2026, 3, 7)),
    ("ya 3 jrs", TUESDAY, date(2026, 3, 7)),
    ("y'a 3j", TUESDAY, date(2026, 3, 7)),
    ("il y a une semaine", TUESDAY, date(2026, 3, 3)),
    ("enceinte depuis 2 mois", TUESDAY, date(2026, 1, 10)),
    ("il y a 2 ans", TUESDAY, date(2024, 3, 10)),
    # parts of months
    ("fin mars", TUESDAY, date(2026, 3, 31)),
    ("fin février", TUESDAY, date(2026, 2, 28)),
    ("fin du mois de juin", TUESDAY, date(2026, 6, 30)),
    ("début avril", TUESDAY, date(2026, 4, 1)),
    ("mi-mai", TUESDAY, date(2026, 5, 15)),
    ("en juin", TUESDAY, date(2026, 6, 1)),
    ("mai 2027", TUESDAY, date(2027, 5, 1)),
    ("en mai dernier", TUESDAY, date(2025, 5, 1)),
    ("il est décédé en mars", TUESDAY, date(2026, 3, 1)),
    ("on attend un bébé pour mars", TUESDAY, date(2026, 3, 1)),
    ("on attend un bébé pour juin", AUTUMN, date(2027, 6, 1)),
    ("le bébé va naître en septembre", AUTUMN, date(2027, 9, 1)),
    ("en septembre", AUTUMN, date(2026, 9, 1)),
    ("il est décédé en janvier", AUTUMN, date(2026, 1, 1)),
    ("il est décédé en novembre", AUTUMN, date(2025, 11, 1)),
    ("en novembre", AUTUMN, date(2026, 11, 1)),
    ("la cérémonie aura lieu en août", AUTUMN, date(2027, 8, 1)),
    # across the new year
    ("le 3 janvier", date(2026, 12, 28), date(2027, 1, 3)),
    ("le 28 décembre", date(2027, 1, 2), date(2026, 12, 28)),
    ("3/1", date(2026, 12, 28), date(2027, 1, 3)),
    ("28/12", date(2027, 1, 2), date(2026, 12, 28)),
    ("demain", date(2026, 12, 31), date(2027, 1, 1)),
    ("hier", date(2027, 1, 1), date(2026, 12, 31)),
    ("la semaine prochaine", date(2026, 12, 28), date(2027, 1, 4)),
    ("le mois prochain", date(2026, 12, 15), date(2027, 1, 1)),
    ("le mois dernier", date(2027, 1, 15), date(2026, 12, 1)),
    ("début janvier", date(2026, 12, 28), date(2027, 1, 1)),
    ("fin décembre", date(2027, 1, 2), date(2026, 12, 31)),
    ("lundi prochain", date(2026, 12, 31), date(2027, 1, 4)),
    ("dans un mois", date(2027, 1, 31), date(2027, 2, 28)),
    ("il y a un an", date(2028, 2, 29), date(2027, 2, 28)),
]

NEGATIVE = [
    "",
    "bonjour",
    "j'ai 3 enfants",
    "cerfa 12100*02",
    "le formulaire cerfa n°12100*02",
    "article 15",
    "l'article 15 du code civil",
    "mon fils a 2 ans",
    "2 ans",
    "enfants de 10-12 ans",
    "appelez le 06 12 34 56 78",
    "06.12.34.56.78",
    "06-12-34-56-78",
    "06/12/34/56/78",
    "+33 6 12 34 56 78",
    "à faire dans le mois",
    "dans le mois qui suit le décès",
    "dans les 24 heures",
    "dans les 15 jours",
    "ouvert du lundi au vendredi",
    "la mairie est fermée le lundi",
    "le 31 février",
    "une 1/2 journée",
    "ouvert 24h/24 et 7j/7",
    "j'ai eu 12/20",
    "la démarche est simple",
    "j'ai payé 15 euros",
    "3 mois de salaire",
    "la planète mars",
    "sans doute",
]


@pytest.mark.parametrize(("text", "today", "expected"), POSITIVE, ids=[case[0] or "-" for case in POSITIVE])
def test_extracts_the_event_date(text: str, today: date, expected: date) -> None:
    assert extract_event_date(text, today) == expected


@pytest.mark.parametrize("text", NEGATIVE, ids=[text or "-" for text in NEGATIVE])
def test_finds_no_date(text: str) -> None:
    assert extract_event_date(text, TUESDAY) is None


def test_the_first_phrase_wins() -> None:
    text = "mon père est décédé hier, les obsèques ont lieu le 15 mars"
    assert extract_event_date(text, TUESDAY) == date(2026, 3, 9)


def test_day_and_month_without_year_stay_within_six_months() -> None:
    today = date(2026, 6, 15)
    for month in range(1, 13):
        found = extract_event_date(f"le 15/{month:02d}", today)
        assert found is not None
        assert abs((found - today).days) <= 184, month


def test_decomposed_accents_are_understood() -> None:
    assert extract_event_date("de\u0301but avril", TUESDAY) == date(2026, 4, 1)


@pytest.mark.parametrize(
    ("day", "today", "expected"),
    [
        (date(2026, 3, 24), date(2026, 1, 1), "24 mars"),
        (date(2027, 3, 24), date(2026, 12, 31), "24 mars 2027"),
        (date(2026, 4, 1), date(2026, 3, 10), "1er avril"),
        (date(2025, 8, 1), date(2026, 3, 10), "1er août 2025"),
        (date(2026, 12, 31), date(2026, 3, 10), "31 décembre"),
        (date(2026, 2, 9), date(2026, 3, 10), "9 février"),
    ],
)
def test_format_date_fr(day: date, today: date, expected: str) -> None:
    assert format_date_fr(day, today) == expected


def test_format_date_fr_defaults_to_the_current_year() -> None:
    this_year = date.today().replace(month=3, day=24)
    assert format_date_fr(this_year) == "24 mars"
    assert format_date_fr(this_year.replace(year=this_year.year + 1)).endswith(str(this_year.year + 1))


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80), today=st.dates())
def test_never_raises(text: str, today: date) -> None:
    found = extract_event_date(text, today)
    assert found is None or isinstance(found, date)
