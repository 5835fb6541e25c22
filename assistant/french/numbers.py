"""French numbers written in words: "six" -> 6, "vingt-et-un" -> 21, "quatre-vingt-dix" -> 90,
"deux mille vingt-cinq" -> 2025, and ordinals: "troisième" -> 3, "vingt et unième" -> 21, "1re" -> 1.

Words come folded (:func:`assistant.french.folding.fold`: lower-case, no accents), separated by
spaces or hyphens ("dix-sept" and "dix sept" alike); "et" joins the tens to "un"/"une" (and
"soixante" to "onze"). The Belgian and Swiss tens (septante, huitante, octante, nonante) are read
too. Numbers go up to 999 999. A run of number words is read as French writes numbers: "vingt
deux" is 22, "deux trois" is 2 then 3 (two numbers).

* :func:`read_number`: the number that starts at one word of a list, and where it ends;
* :func:`parse_number`, :func:`parse_ordinal`: a whole text that is one number;
* :data:`NUMBER_PATTERN`: a regular expression for runs of number words (check them with
  :func:`parse_number`: not every run is a number).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# fmt: off
_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16,
}
_TENS = {
    "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70,
    "huitante": 80, "octante": 80, "nonante": 90,
}
# Ordinals that are not a cardinal + "ième", written out or with digits.
_FIRSTS = {
    "premier": 1, "premiere": 1, "1er": 1, "1re": 1, "1ere": 1, "1ier": 1, "1iere": 1, "second": 2,
    "seconde": 2, "2nd": 2, "2nde": 2,
}
# fmt: on
_ORDINAL_DIGITS = re.compile(r"(\d+)(?:e|eme|ieme|er|ere|re)")
_SEPARATORS = re.compile(r"[\s-]+")
_MAX_WORDS = 13  # the longest: "neuf cent quatre vingt dix neuf mille neuf cent quatre vingt dix neuf"


def _ordinal_form(cardinal: str) -> str:
    """ "trois" -> "troisieme", "quatre" -> "quatrieme", "cinq" -> "cinquieme", "neuf" -> "neuvieme"."""
    special = {"cinq": "cinqu", "neuf": "neuv", "une": "un"}
    stem = special.get(cardinal) or (cardinal[:-1] if cardinal.endswith("e") else cardinal)
    return stem + "ieme"


_ORDINALS = {_ordinal_form(word): word for word in (*_UNITS, *_TENS, "cent", "mille") if word != "zero"}
_WORDS = sorted({*_UNITS, *_TENS, "vingts", "cent", "cents", "mille", *_ORDINALS, *_FIRSTS})
_WORD = "(?:" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b"
NUMBER_PATTERN = rf"{_WORD}(?:[- ](?:et[- ])?{_WORD})*"
"""Regular expression (no group) for one or more number words in a row: "trois", "vingt-et-un"."""

_Read = tuple[int, int]  # value, index of the first word after the number


def _at(words: Sequence[str], i: int) -> str:
    return words[i] if i < len(words) else ""


def _below_20(words: Sequence[str], i: int) -> _Read | None:
    """1 to 19: "un" ... "seize", "dix-sept" ... "dix-neuf"."""
    word = _at(words, i)
    if word == "dix" and _at(words, i + 1) in ("sept", "huit", "neuf"):
        return 10 + _UNITS[words[i + 1]], i + 2
    return (_UNITS[word], i + 1) if word in _UNITS and word != "zero" else None


def _below_100(words: Sequence[str], i: int) -> _Read | None:
    word, after = _at(words, i), _at(words, i + 1)
    if word == "quatre" and after in ("vingt", "vingts"):  # 80 to 99: "quatre-vingt-un", "-dix-sept"
        rest = _below_20(words, i + 2) if after == "vingt" else None
        return (80 + rest[0], rest[1]) if rest else (80, i + 2)
    if word in _TENS:
        tens, joined = _TENS[word], _at(words, i + 2)
        if after == "et" and (joined in ("un", "une") or (word == "soixante" and joined == "onze")):
            return tens + _UNITS[joined], i + 3
        rest = _below_20(words, i + 1)  # "soixante-dix" ... "soixante-dix-neuf" only after soixante
        if rest and (rest[0] < 10 or word == "soixante"):
            return tens + rest[0], rest[1]
        return tens, i + 1
    return (0, i + 1) if word == "zero" else _below_20(words, i)


def _below_1000(words: Sequence[str], i: int) -> _Read | None:
    word, after = _at(words, i), _at(words, i + 1)
    if word == "cent":
        hundreds, end = 100, i + 1
    elif word in _UNITS and 2 <= _UNITS[word] <= 9 and after in ("cent", "cents"):
        hundreds, end = 100 * _UNITS[word], i + 2
    else:
        return _below_100(words, i)
    rest = _below_100(words, end)
    return (hundreds + rest[0], rest[1]) if rest and rest[0] else (hundreds, end)


def _number(words: Sequence[str]) -> _Read | None:
    if _at(words, 0) == "mille":
        thousands, end = 1000, 1
    else:
        head = _below_1000(words, 0)
        if head is None or head[0] < 2 or _at(words, head[1]) != "mille":
            return head
        thousands, end = head[0] * 1000, head[1] + 1
    rest = _below_1000(words, end)
    return (thousands + rest[0], rest[1]) if rest and rest[0] else (thousands, end)


def _read(words: Sequence[str], start: int, ordinals: bool) -> tuple[int, int, bool] | None:
    """(value, index of the word after it, whether it is an ordinal)."""
    first = _at(words, start)
    if ordinals and first in _FIRSTS:
        return _FIRSTS[first], start + 1, True
    digits = _ORDINAL_DIGITS.fullmatch(first) if ordinals else None
    if digits:
        return int(digits[1]), start + 1, True
    window = list(words[start : start + _MAX_WORDS])
    cut = next((k for k, word in enumerate(window) if word in _ORDINALS), None) if ordinals else None
    if cut is not None:  # an ordinal word ends the number: "vingt et unieme" reads as "vingt et un"
        window = [*window[:cut], _ORDINALS[window[cut]]]
    found = _number(window)
    if found is None:
        return None
    return found[0], start + found[1], cut is not None and found[1] == cut + 1


def read_number(words: Sequence[str], start: int = 0, *, ordinals: bool = False) -> tuple[int, int] | None:
    """The number written in words from ``words[start]`` on and the index of the word after it, or
    None: ``read_number(["le", "vingt", "et", "un", "mars"], 1) == (21, 4)``. With ``ordinals``, an
    ordinal ("troisieme", "1er", "2e") is read too and ends the number. Digits are not read."""
    found = _read(words, start, ordinals)
    return None if found is None else (found[0], found[1])


def parse_number(text: str, *, ordinals: bool = False) -> int | None:
    """The value of ``text`` when all of it is one number, in digits or in words: ``"21"``,
    ``"vingt-et-un"``, ``"vingt et un"`` -> 21; with ``ordinals``, ``"vingt et unieme"`` too."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    words = _SEPARATORS.split(text)
    found = _read(words, 0, ordinals)
    return found[0] if found is not None and found[1] == len(words) else None


def parse_ordinal(text: str) -> int | None:
    """The rank ``text`` gives when all of it is one ordinal: ``"troisieme"``, ``"3e"``, ``"1re"``,
    ``"premier"``, ``"second"``, ``"vingt-et-unieme"``; None for anything else ("trois" included)."""
    words = _SEPARATORS.split(text.strip())
    found = _read(words, 0, True)
    return found[0] if found is not None and found[2] and found[1] == len(words) else None
