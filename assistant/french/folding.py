"""Accent and case folding: the one way French text is compared ("Pôle Emploi" -> "pole emploi").

Both functions lower-case, spell out the ligatures (œ -> oe, æ -> ae), make every apostrophe a plain
``'`` (’ ‘ ` ´ ʼ: people type them all, "aujourd’hui" and "aujourd'hui" are one word) and take the
accents off. :func:`fold` then drops what has no ASCII form (€, °, «); :func:`strip_accents` keeps it,
for the readers that look at such signs ("15 €" is an amount, not a date).

Both are pure and cached, so safe to call from several threads.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_SPELT_OUT = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "œ": "oe", "æ": "ae"})


@lru_cache(maxsize=65536)
def strip_accents(text: str) -> str:
    """Lower-cased ``text`` without accents, apostrophes made ``'``; other signs kept: ``"Dès 15 €"`` ->
    ``"des 15 €"``."""
    text = text.lower().translate(_SPELT_OUT)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)  # "é" -> "e" + combining acute, "ﬁ" -> "fi"
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-cased ASCII ``text``: ``"Pôle Emploi"`` -> ``"pole emploi"``; characters with no ASCII
    base (``€``, ``°``) are dropped."""
    text = strip_accents(text)
    return text if text.isascii() else text.encode("ascii", "ignore").decode("ascii")
