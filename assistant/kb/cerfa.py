"""Cerfa numbers: found in the fiches at build time, looked up at run time.

Forms: ``13944*05`` (number and version), ``51672#05`` (a notice), ``15901`` (no
version given) and the old ``60-3741``. A fiche carries a number when its title, its
``NumeroCerfa`` or the ``numerocerfa`` of the services it lists, or its text
("cerfa n° 12100*02") gives one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from assistant.french.folding import fold
from assistant.kb.models import CatalogueEntry, fiche_sort_key
from assistant.kb.nodes import Node, attr, text_of, walk

_FULL = re.compile(r"(?<![\d-])(\d{5})\s?([*#])\s?(\d{1,2})(?!\d)")
_BARE = re.compile(r"(?<![\d*#-])(\d{5})(?![\d*#])")
_OLD = re.compile(r"(?<![\d-])(\d{2}-\d{4})(?![\d-])")
# Applied to folded text, where "n°" has become "n".
_IN_TEXT = re.compile(r"cerfa\s*(?:numero|no\.?|n)?\s*:?\s*(\d{5}(?:\s?[*#]\s?\d{1,2})?)")
_CERFA_ATTRIBUTES = ("numerocerfa",)


def _numbers(text: str, bare: bool) -> list[str]:
    """Cerfa numbers written in ``text``; bare 5-digit numbers only when ``bare``."""
    found = [f"{m.group(1)}{m.group(2)}{int(m.group(3)):02d}" for m in _FULL.finditer(text)]
    if bare:
        found += [m.group(1) for m in _BARE.finditer(_FULL.sub(" ", text))]
        found += [m.group(1) for m in _OLD.finditer(text)]
    return found


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value, None)
    return list(seen)


def fiche_cerfa(root: Node, title: str) -> list[str]:
    """Every cerfa number the fiche gives, those of its title first.

    Numbers with a version (``12100*02``) are distinctive and taken anywhere in the text;
    bare numbers only from ``NumeroCerfa``/``numerocerfa`` or right after the word cerfa.
    """
    from_title = _numbers(title, bare=False)
    declared: list[str] = []
    in_text: list[str] = []
    for node in walk(root):
        name = node.get("name")
        if name == "NumeroCerfa":
            declared += _numbers(text_of(node), bare=True)
        for key in _CERFA_ATTRIBUTES:
            value = attr(node, key)
            if value:
                declared += _numbers(value, bare=True)
        if name in ("Paragraphe", "dc:description"):
            text = fold(text_of(node))
            in_text += _numbers(text, bare=False)
            for match in _IN_TEXT.finditer(text):
                in_text += _numbers(match.group(1), bare=True)
    numbers = _unique([*from_title, *declared, *in_text])
    versioned = {base_number(number) for number in numbers if base_number(number) != number}
    return [number for number in numbers if number not in versioned]


def base_number(cerfa: str) -> str:
    """``"13944*05"`` -> ``"13944"``; old numbers are their own base."""
    return re.split(r"[*#]", cerfa, maxsplit=1)[0]


def parse_query(text: str) -> list[tuple[str, str | None]]:
    """(base, version or None) for every cerfa-like number in a user's text."""
    folded = fold(text).replace("/", "*")
    pairs: list[tuple[str, str | None]] = [
        (m.group(1), f"{m.group(2)}{int(m.group(3)):02d}") for m in _FULL.finditer(folded)
    ]
    rest = _FULL.sub(" ", folded)
    pairs += [(m.group(1), None) for m in _BARE.finditer(rest)]
    pairs += [(m.group(1), None) for m in _OLD.finditer(rest)]
    return pairs


def build_cerfa_index(entries: Iterable[CatalogueEntry]) -> dict[str, list[str]]:
    """Base number -> ids of the entries carrying it (catalogue order)."""
    index: dict[str, list[str]] = {}
    for entry in entries:
        for base in _unique(base_number(number) for number in entry.cerfa):
            index.setdefault(base, []).append(entry.id)
    return index


def find_cerfa(
    text: str, index: Mapping[str, Sequence[str]], catalogue: Mapping[str, CatalogueEntry]
) -> list[CatalogueEntry]:
    """The fiches carrying the cerfa named in ``text``: the form itself first, then the
    fiches that list it; an exact version ranks before other versions."""
    results: dict[str, tuple[tuple[int, int, int, int], CatalogueEntry]] = {}
    for base, version in parse_query(text):
        for fiche_id in index.get(base, ()):
            entry = catalogue[fiche_id]
            exact = version is not None and any(number == base + version for number in entry.cerfa)
            in_title = base in entry.title
            is_form = entry.kind == "formulaire"
            first = bool(entry.cerfa) and base_number(entry.cerfa[0]) == base
            key = (int(not exact), int(not in_title), int(not is_form), int(not first))
            if fiche_id not in results or key < results[fiche_id][0]:
                results[fiche_id] = (key, entry)
    ordered = sorted(results.values(), key=lambda item: (item[0], fiche_sort_key(item[1].id)))
    return [entry for _, entry in ordered]
