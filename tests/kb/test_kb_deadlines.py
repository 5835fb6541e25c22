"""Deadlines read inside sentences and counted in working days, with French public holidays."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.kb.events import event_words
from assistant.kb.plan_layout import dated
from assistant.kb.plan_model import PlanItem
from assistant.kb.sentence_timing import first_deadline, opening_deadline, sentence_deadline
from assistant.kb.timing import due_date
from assistant.kb.workdays import add_days

DEATH, MOVE, BIRTH = event_words("F16507"), event_words("F14128"), event_words("F16225")


@pytest.mark.parametrize(
    ("start", "count", "unit", "expected"),
    [
        (date(2026, 12, 4), 6, "working_day", date(2026, 12, 11)),  # Fri + 6, Sunday 6 left out
        (date(2026, 12, 22), 6, "working_day", date(2026, 12, 30)),  # Christmas and a Sunday left out
        (date(2026, 12, 4), 1, "business_day", date(2026, 12, 7)),  # Friday -> Monday
        (date(2027, 5, 5), 1, "business_day", date(2027, 5, 7)),  # eve of Ascension -> Friday
        (date(2027, 3, 26), 1, "business_day", date(2027, 3, 30)),  # Friday before Easter Monday
        (date(2027, 1, 15), -2, "business_day", date(2027, 1, 13)),
        (date(2027, 1, 15), 8, "day", date(2027, 1, 23)),
    ],
)
def test_counting_days(start: date, count: int, unit: str, expected: date) -> None:
    assert add_days(start, count, unit) == expected


@pytest.mark.parametrize(
    ("text", "events", "event_day", "expected"),
    [
        ("L'inhumation doit avoir lieu 24 heures au moins et 6 jours ouvrables au plus après le décès.",
         DEATH, date(2026, 12, 4), date(2026, 12, 11)),
        ("L'incinération doit avoir lieu au minimum 24 heures et au maximum 6 jours ouvrables "
         "après le décès.",
         DEATH, date(2026, 12, 4), date(2026, 12, 11)),
        ("La déclaration doit être faite dans les 24 heures qui suivent la constatation du décès, hors "
         "week-ends et jours fériés.", DEATH, date(2026, 12, 4), date(2026, 12, 7)),
        ("Si votre enfant a plus de 3 ans, vous devez dans les 8 jours qui suivent le changement de domicile "
         "l'inscrire dans un établissement.", MOVE, date(2027, 1, 15), date(2027, 1, 23)),
        ("Adressez à votre assureur une déclaration dans les 15 jours qui suivent la date à laquelle vous "
         "quittez votre ancien logement.", MOVE, date(2027, 1, 31), date(2027, 2, 15)),
        ("Je dois informer mon bailleur en respectant un délai de préavis pouvant aller de 1 à 3 mois avant "
         "le déménagement.", MOVE, date(2027, 1, 15), date(2026, 10, 15)),  # the safe end of the range
        ("4 à 6 mois avant ma date de départ à la retraite souhaitée, j'effectue mes démarches.",
         event_words("F17904"), date(2027, 9, 1), date(2027, 5, 1)),  # a window: by its nearer end
        ("Vous devez faire la modification dans le mois qui suit votre déménagement.",
         MOVE, date(2027, 1, 31), date(2027, 2, 28)),
    ],
)  # fmt: skip
def test_deadlines_in_sentences(text: str, events: tuple[str, ...], event_day: date, expected: date) -> None:
    deadline = sentence_deadline(text, events)
    assert deadline is not None
    assert due_date(deadline, event_day) == expected


@pytest.mark.parametrize(
    ("text", "events"),
    [
        (
            "Ces documents sont communiqués au patient au plus tard dans les 8 jours suivant sa demande.",
            DEATH,
        ),
        ("Le capital est versé si le défunt était retraité depuis moins de 3 mois avant son décès.", DEATH),
        (
            "Je récupérerai le dépôt de garantie dans le mois ou les 2 mois qui suivent mon déménagement.",
            MOVE,
        ),
        ("La déclaration doit être faite dans les 5 jours qui suivent la naissance.", DEATH),
        ("", DEATH),
    ],
)
def test_no_deadline_for_something_else(text: str, events: tuple[str, ...]) -> None:
    assert sentence_deadline(text, events) is None


def test_a_last_day_on_a_holiday_moves_when_the_fiche_says_so() -> None:
    texts = [
        "La déclaration doit être faite dans les 5 jours qui suivent le jour de l'accouchement.",
        "Si le dernier jour tombe un samedi, un dimanche, un jour férié ou chômé, ce délai est prolongé "
        "jusqu'au 1erjour ouvrable suivant.",
    ]
    extended = first_deadline(texts, BIRTH)
    plain = first_deadline(texts[:1], BIRTH)
    assert extended is not None and plain is not None and extended.extended and not plain.extended
    assert due_date(extended, date(2027, 7, 9)) == date(2027, 7, 15)  # 14 July
    assert due_date(plain, date(2027, 7, 9)) == date(2027, 7, 14)
    assert due_date(extended, date(2027, 3, 24)) == date(2027, 3, 30)  # Easter Monday


def test_a_later_statement_in_working_days_wins() -> None:
    found = first_deadline(
        ["dans les 24 heures qui suivent sa constatation.",
         "La déclaration doit être faite dans les 24 heures qui suivent la constatation du décès, hors "
         "week-ends et jours fériés."], DEATH,
    )  # fmt: skip
    assert found is not None and found.unit == "business_day"


def test_a_paragraph_that_opens_with_a_timing_dates_what_follows() -> None:
    opening = opening_deadline("Avant mon départ, j'accomplis les démarches suivantes :", ("depart",))
    assert opening is not None and due_date(opening, date(2027, 9, 1)) == date(2027, 9, 1)
    assert opening_deadline("Je signale mon départ au consulat.", ("depart",)) is None


def test_a_past_deadline_is_said_to_be_past() -> None:
    deadline = sentence_deadline("dans les 8 jours qui suivent le changement de domicile", MOVE)
    item = PlanItem("F1881", "École", "", None, deadline, "https://x", "F14128", "Fiche")
    late = dated(item, date(2027, 1, 15), today=date(2027, 2, 1))
    assert late.overdue and late.due_date == date(2027, 1, 23)
    assert late.due_label == "à faire dès que possible, le délai était le 23 janvier 2027"
    on_time = dated(item, date(2027, 1, 15), today=date(2027, 1, 20))
    assert not on_time.overdue and on_time.due_label == "avant le 23 janvier 2027"


NOTICE = "Le délai de préavis, pouvant aller de 1 à 3 mois avant le déménagement, dépend du logement."


def notice_on(today: date) -> PlanItem:
    deadline = sentence_deadline(NOTICE, MOVE)
    item = PlanItem("F1168", "Préavis", "", None, deadline, "https://x", "F14128", "Fiche")
    return dated(item, date(2027, 1, 15), today=today)


def test_a_range_of_delays_is_due_by_its_longest_end_while_it_can_be() -> None:
    early = notice_on(date(2026, 9, 1))
    assert early.due_date == date(2026, 10, 15) and early.due_label == "avant le 15 octobre 2026"


def test_a_range_whose_longest_end_has_passed_gives_its_shortest() -> None:
    # 6 December: 3 months before the move has passed, 1 month has not
    late = notice_on(date(2026, 12, 6))
    assert not late.overdue and late.due_date == date(2026, 12, 15)
    assert (
        late.due_label
        == "dès que possible, au plus tard le 15 décembre 2026 : le délai va de 1 à 3 mois selon votre cas"
    )
    too_late = notice_on(date(2026, 12, 20))
    assert (
        too_late.overdue
        and too_late.due_label == "à faire dès que possible, le délai était le 15 octobre 2026"
    )
