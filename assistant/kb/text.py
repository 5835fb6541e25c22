"""Words of the knowledge base for search, answer matching and the glossary: stop words, stems.

Folding and edit distances are :mod:`assistant.french`'s. Everything here is pure and cached, so it is
safe to call from several threads.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.french.folding import fold

_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z0-9]+(?:\*[0-9]+)?")

# Words that carry no meaning for retrieval or answer matching (accent-folded).
# fmt: off
STOPWORDS: frozenset[str] = frozenset({
    "a", "ai", "aie", "ait", "as", "au", "aupres", "aux", "avec", "avez", "avoir", "avons", "ayant",
    "c", "ca", "ce", "ceci", "cela", "ces", "cet", "cette", "ceux", "chez", "comme", "comment", "d",
    "dans", "de", "des", "dois", "doit", "du", "elle", "elles", "en", "entre", "es", "est", "et",
    "etaient", "etais", "etait", "etant", "ete", "etes", "etre", "eu", "eux", "faire", "fait", "faut",
    "fais", "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais",
    "me", "meme", "mes", "moi", "mon", "n", "ne", "nos", "notre", "nous", "on", "ont", "ou", "par",
    "pas", "peut", "peux", "plus", "pour", "pourquoi", "puis", "puisque", "qu", "quand", "que", "quel",
    "quelle", "quelles", "quels", "qui", "quoi", "s", "sa", "sans", "se", "ses", "si", "son", "sont",
    "sous", "suis", "sur", "t", "ta", "te", "tes", "toi", "ton", "tous", "tout", "toute", "toutes",
    "tu", "un", "une", "vos", "votre", "vous", "y", "veux", "voudrais", "souhaite", "besoin", "dire",
    "svp", "merci", "bonjour",
})
# fmt: on


# Words whose presence negates the words that follow them.
NEGATIONS: frozenset[str] = frozenset({"pas", "sans", "aucun", "aucune", "ni", "jamais", "non", "plus"})


def clean_spaces(text: str) -> str:
    """Collapse every kind of whitespace (including non-breaking spaces) into one space."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def words(text: str) -> list[str]:
    """Accent-folded words of ``text``; apostrophes and hyphens split words."""
    return _TOKEN.findall(fold(text))


@lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """A light French stemmer: folds plurals, feminine forms and a few suffixes.

    It only has to conflate the forms a user types with the forms the fiches use
    ("enfants"/"enfant", "retraitée"/"retraité", "déménagement"/"déménager").
    """
    w = word
    if len(w) <= 3 or w.isdigit():
        return w
    if w.endswith("aux") and len(w) > 4:
        w = w[:-3] + "al"
    elif w.endswith(("s", "x")) and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, min_stem in (("ements", 5), ("ement", 5), ("ations", 4), ("ation", 4), ("euse", 4)):
        if w.endswith(suffix) and len(w) - len(suffix) >= min_stem:
            w = w[: -len(suffix)]
            break
    if w.endswith("iption") and len(w) > 8:
        w = w[:-6] + "ir"  # inscription -> inscrir(e)
    if w.endswith("er") and len(w) > 5:
        w = w[:-2]
    if w.endswith("ee") and len(w) > 4:
        w = w[:-1]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def content_words(text: str) -> list[str]:
    """Words of ``text`` minus stop words, single letters kept out."""
    return [w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def stems(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order (duplicates kept)."""
    return [stem(w) for w in content_words(text)]


def first_sentence(text: str, limit: int = 220) -> str:
    """The first sentence of ``text``, cut on a word boundary if longer than ``limit``."""
    text = clean_spaces(text)
    match = re.search(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])", text)
    sentence = text[: match.start()] if match else text
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
