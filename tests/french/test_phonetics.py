"""Sound keys: spellings by ear share the key of the right spelling, other words do not."""

from __future__ import annotations

import pytest

from assistant.french.folding import fold
from assistant.french.phonetics import sound


@pytest.mark.parametrize(
    ("heard", "written"),
    [
        ("enssainte", "enceinte"),  # ss, ain / c, ein
        ("alocasion", "allocation"),  # doubled l, s / ti before on
        ("anfan", "enfants"),  # en, silent ts
        ("dessè", "décès"),
        ("nessance", "naissance"),
        ("demenajement", "déménagement"),  # j / ge
        ("asosiasion", "association"),
        ("maizon", "maison"),
        ("eritaje", "héritage"),  # silent h
        ("obsek", "obsèques"),  # qu
        ("chomaje", "chômage"),
        ("fotocopi", "photocopie"),
        ("retrete", "retraite"),
    ],
)
def test_spellings_by_ear_sound_like_the_word(heard: str, written: str) -> None:
    assert sound(fold(heard)) == sound(fold(written))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("vin", "vent"),
        ("chat", "chien"),
        ("marcher", "mariage"),
        ("pain", "peine"),
        ("cage", "case"),
        ("bac", "bas"),
    ],
)
def test_different_sounds_keep_different_keys(a: str, b: str) -> None:
    assert sound(a) != sound(b)


def test_the_key_of_a_word() -> None:
    assert sound("enceinte") == "ansint" and sound("allocations") == "alokasion"
