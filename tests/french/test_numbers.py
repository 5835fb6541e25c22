"""French numbers written in words."""

from __future__ import annotations

import re

import pytest

from assistant.french.numbers import NUMBER_PATTERN, parse_number, parse_ordinal, read_number

CARDINALS = [
    ("zero", 0), ("un", 1), ("une", 1), ("deux", 2), ("trois", 3), ("quatre", 4), ("cinq", 5), ("six", 6),
    ("sept", 7), ("huit", 8), ("neuf", 9), ("dix", 10), ("onze", 11), ("douze", 12), ("treize", 13),
    ("quatorze", 14), ("quinze", 15), ("seize", 16), ("dix-sept", 17), ("dix sept", 17), ("dix-huit", 18),
    ("dix-neuf", 19), ("vingt", 20), ("vingt et un", 21), ("vingt-et-un", 21), ("vingt-et-une", 21),
    ("vingt-un", 21), ("vingt-deux", 22), ("vingt deux", 22), ("vingt-neuf", 29), ("trente", 30),
    ("trente et un", 31), ("trente-cinq", 35), ("quarante", 40), ("quarante-huit", 48), ("cinquante", 50),
    ("soixante", 60), ("soixante-trois", 63), ("soixante-dix", 70), ("soixante et onze", 71),
    ("soixante-douze", 72), ("soixante-dix-sept", 77), ("soixante-dix-neuf", 79), ("quatre-vingts", 80),
    ("quatre-vingt", 80), ("quatre-vingt-un", 81), ("quatre-vingt-dix", 90), ("quatre-vingt-onze", 91),
    ("quatre-vingt-dix-neuf", 99), ("septante", 70), ("septante-cinq", 75), ("huitante", 80),
    ("octante", 80), ("nonante", 90), ("nonante-neuf", 99), ("cent", 100), ("cent un", 101),
    ("cent-vingt", 120), ("deux cents", 200), ("deux cent trois", 203), ("trois cent soixante-cinq", 365),
    ("mille", 1000), ("mille neuf cent quatre-vingt-dix", 1990), ("deux mille", 2000),
    ("deux mille vingt-cinq", 2025), ("cent mille", 100000),
    ("neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf", 999999),
    ("42", 42), (" 7 ", 7),
]  # fmt: skip
NOT_ONE_NUMBER = [
    "", "deux trois", "vingt dix", "trente et deux", "un mille", "quatre-vingts-trois", "troisieme",
    "premier", "bonjour", "six ans", "dix-", "1er", "3.5",
]  # fmt: skip
ORDINALS = [
    ("premier", 1), ("premiere", 1), ("1er", 1), ("1re", 1), ("1ere", 1), ("second", 2), ("seconde", 2),
    ("deuxieme", 2), ("2e", 2), ("2eme", 2), ("3ieme", 3), ("troisieme", 3), ("quatrieme", 4),
    ("cinquieme", 5), ("sixieme", 6), ("neuvieme", 9), ("dixieme", 10), ("onzieme", 11), ("seizieme", 16),
    ("dix-septieme", 17), ("vingtieme", 20), ("vingt-et-unieme", 21), ("vingt et unieme", 21),
    ("trentieme", 30), ("quatre-vingtieme", 80), ("quatre-vingt-dixieme", 90), ("centieme", 100),
    ("millieme", 1000),
]  # fmt: skip


@pytest.mark.parametrize(("text", "value"), CARDINALS)
def test_cardinals(text: str, value: int) -> None:
    assert parse_number(text) == value
    assert parse_number(text, ordinals=True) == value
    assert parse_ordinal(text) is None


@pytest.mark.parametrize("text", NOT_ONE_NUMBER)
def test_what_is_not_one_cardinal(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "value"), ORDINALS)
def test_ordinals(text: str, value: int) -> None:
    assert parse_ordinal(text) == value
    assert parse_number(text, ordinals=True) == value
    assert parse_number(text) is None


def test_read_number_in_a_sentence() -> None:
    words = ["le", "vingt", "et", "un", "mars", "dans", "deux", "trois", "jours", "quinze", "sept"]
    assert read_number(words, 0) is None
    assert read_number(words, 1) == (21, 4)
    assert read_number(words, 6) == (2, 7)  # "deux trois": two numbers
    assert read_number(words, 7) == (3, 8)
    assert read_number(words, 9) == (15, 10)  # "quinze sept": fifteen, then September in a date
    assert read_number(["12"], 0) is None  # digits are left to the caller
    assert read_number(["la", "troisieme"], 1) is None
    assert read_number(["la", "troisieme", "fois"], 1, ordinals=True) == (3, 2)
    assert read_number(["deux", "troisieme"], 0, ordinals=True) == (2, 1)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("avant trois ans", "trois"),
        ("dans les vingt-et-un jours", "vingt-et-un"),
        ("entre six et douze mois", "six et douze"),  # a run of words: parse_number says no
        ("la 1re annee", "1re"),
        ("la premiere annee", "premiere"),
        ("les premiers mois", None),  # a whole word only
        ("sixties", None),
    ],
)
def test_number_pattern_finds_runs_of_number_words(text: str, found: str | None) -> None:
    match = re.search(NUMBER_PATTERN, text)
    assert (match[0] if match else None) == found
