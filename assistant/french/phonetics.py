"""How a French word sounds, roughly: a key shared by the ways of spelling it by ear.

People who are not at ease with writing spell by sound: "enssainte" for "enceinte", "alocasion"
for "allocation", "anfan" for "enfant". Such words are often more than two edits away from the
right one, but they sound the same. ``sound`` folds the usual spellings of one sound into one
letter group (c before e/i and ss are s; ain, ein and in are in; an, en, am and em before a
consonant are an; eau, au are o; ph is f; qu and c are k; z is s...), drops the silent h and the
silent endings, and collapses doubled letters. It is only ever used on a word already folded
(lowercase, no accents: :func:`assistant.french.folding.fold`).
"""

from __future__ import annotations

import re

# Applied in order; each pattern works on the result of the previous ones.
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        (r"([a-z])\1+", r"\1"),  # doubled letters: "allocation", "enssainte"
        (r"ph", "f"),
        (r"(?<!c)h", ""),  # silent h, but not in ch
        (r"gu(?=[eiy])", "g"),
        (r"ge(?=[aou])", "j"),
        (r"g(?=[eiy])", "j"),
        (r"qu|q|ck", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c(?!h)", "k"),
        (r"ti(?=on)", "si"),  # "allocation", "declaration"
        (r"z", "s"),  # s and z are written for one another: "maizon", "alocasion"
        (r"eau|au", "o"),
        # ain, ein, in, im before a consonant or at the end
        (r"[ae][iy]n(?![aeiouy])|[iy][nm](?![aeiouy])", "in"),
        (r"[ae][nm](?![aeiouy])", "an"),  # an, en, am, em before a consonant or at the end
        (r"[ae][iy]|e[rtz]$", "e"),  # ai, ei; the endings er, et, ez
        (r"y", "i"),
        (r"w", "v"),
        (r"[stdpx]+$", ""),  # silent endings
        (r"(?<=.)e$", ""),  # silent final e
        (r"([a-z])\1+", r"\1"),
    ]
]


def sound(folded: str) -> str:
    """The sound key of a folded word: ``sound("enssainte") == sound("enceinte")``."""
    key = folded
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    return key
