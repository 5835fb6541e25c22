"""Accent and case folding."""

from __future__ import annotations

import pytest

from assistant.french.folding import fold, strip_accents


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Pôle Emploi", "pole emploi"),
        ("DÉCÈS", "deces"),
        ("Ça, c'est noël", "ca, c'est noel"),
        ("L'ŒUVRE", "l'oeuvre"),
        ("ex æquo", "ex aequo"),
        ("naïve", "naive"),
        ("aujourd’hui", "aujourd'hui"),
        ("l‘accueil", "l'accueil"),
        ("d´éviction", "d'eviction"),
        ("lʼenfant", "l'enfant"),
        ("l`an", "l'an"),
        ("ﬁche", "fiche"),  # a typographic ligature
        ("déjà 15 €", "deja 15 "),  # no ASCII form: dropped
        ("25 °C", "25 c"),
        ("« oui »", " oui "),
        ("1\u00a0000", "1 000"),  # a non-breaking space is a space
        ("plain ascii 123", "plain ascii 123"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("Déjà 15 €", "deja 15 €"),  # the sign is kept
        ("« Été »", "« ete »"),
        ("L’ŒUF", "l'oeuf"),
        ("n°3", "n°3"),
    ],
)
def test_strip_accents_keeps_other_signs(text: str, stripped: str) -> None:
    assert strip_accents(text) == stripped
