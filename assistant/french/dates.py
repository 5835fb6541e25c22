"""Event dates in French messages: "hier", "le 15 mars", "dans 3 semaines", "lundi dernier"...

:func:`extract_event_date` reads the first date phrase of a message (a phrase meaning today, such as
"aujourd'hui", only when there is no other), lower-cased and without accents; SMS spellings ("ajd",
"2main", "ds 3 sem", "ya 2 jrs") and one typo in words of 5+ letters ("fevirer", "smaine") pass.

Year (or week) of a phrase that does not give it ("le 15 mars", "15/03", "mardi", "en juin", "fin mars"):
1. a word next to it: "dernier"/"passé" -> strictly before today, "prochain"/"qui vient" -> strictly
   after ("mars dernier" said in March is last year's); "depuis ..." -> past, "pour ..." -> future;
2. else the tense of the message: past participle after an auxiliary ("est décédé", "a eu lieu"),
   imperfect, "décès" -> past; "aller" + infinitive, "prévu", "attend", "doit", "je déménage", future
   tense ("aura lieu") -> future. In 2. and with "depuis"/"pour" the current month (or today) still
   counts ("décédé en mars", said in March, is this March), not for a weekday ("décédé mardi", said
   on a Tuesday, is a week ago);
3. else (no hint, or hints both ways) the nearest occurrence: within 6 months, ties to the future.

"huit/quinze jours" (in words) are one/two weeks; "la semaine prochaine/dernière" is today ± 7 days;
"le mois prochain/dernier" the 1st of that month; "l'an prochain/dernier" January 1st; "fin mars" the
31st, "mi-mars" the 15th, "début/en/courant mars" the 1st. Deadline wording ("dans le mois", "dans les
24 heures"), habits ("le lundi", "du lundi au vendredi"), a bare month name and numbers that are not
dates ("3 enfants", "2 ans", "article 15", phone numbers, "cerfa 12100*02") give nothing.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, timedelta
from functools import lru_cache

from assistant.french.edits import Vocabulary
from assistant.french.folding import strip_accents
from assistant.french.numbers import read_number

MONTH_NAMES: tuple[str, ...] = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août")
MONTH_NAMES += ("septembre", "octobre", "novembre", "décembre")
_MONTHS = tuple(m.replace("é", "e").replace("û", "u") for m in MONTH_NAMES)
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_ABBREVIATIONS = {"jan": 1, "janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7, "juill": 7, "sep": 9}
_ABBREVIATIONS |= {"sept": 9, "oct": 10, "nov": 11, "dec": 12}
_ALIASES = {
    **dict.fromkeys(("ajd", "auj", "aujd", "ojd", "aujourdui", "ojourdhui", "aujourd"), "aujourdhui"),
    **dict.fromkeys(("2main", "2m1", "dm1", "dmain", "dem1", "2mai1"), "demain"),
    **dict.fromkeys(("semaines", "sem", "sems", "smn"), "semaine"),
    **dict.fromkeys(("jours", "jrs", "jr", "j"), "jour"),
    **dict.fromkeys(("ans", "annee", "annees"), "an"),
    **dict.fromkeys(("prochaine", "prochains", "prochaines", "proch", "pro"), "prochain"),
    **dict.fromkeys(("derniere", "derniers", "dernieres", "der"), "dernier"),
    **dict.fromkeys(("passee", "passes", "passees"), "passe"),
    **dict.fromkeys(("1er", "1ere", "1re", "1ier", "premier", "premiere"), "1"),
    **dict.fromkeys(("apre", "aprs", "apr"), "apres"),
    **{"ds": "dans", "ya": "ilya"},
}
_MERGES = {("y", "a"): "ilya", ("aujourdhui", "hui"): "aujourdhui", ("d", "ici"): "dans"}
_MERGES |= {("apres", "demain"): "apresdemain", ("avant", "hier"): "avanthier"}
_VOCABULARY = (*(w for w in (*_MONTHS, *_WEEKDAYS) if len(w) >= 5), "demain", "aujourdhui", "semaine")
_VOCABULARY += ("semaines", "prochain", "prochaine", "dernier", "derniere", "quinze", "quatorze", "trente")
_TYPOS = Vocabulary(dict.fromkeys(_VOCABULARY, 1))
_NOT_TYPOS = frozenset(("derriere", "dedain", "denier", "domain", "quine", "quinte", "tente", "marri"))
_IDIOMS = re.compile(r"(?<!\S)(?:(huit|quinze) jour|une quinzaine(?: de jour)?)(?!\S)")
_TODAY_WORDS = {"avanthier": -2, "hier": -1, "aujourdhui": 0, "demain": 1, "apresdemain": 2}
_TODAY_WORDS |= dict.fromkeys(("ce matin", "ce midi", "ce soir", "cette nuit", "cet aprem"), 0)
_TODAY_WORDS |= dict.fromkeys(("cet apres midi", "cette apres midi", "tout a l heure", "cette semaine"), 0)
_SIGNS = {"dernier": -1, "passe": -1, "depuis": -1, "prochain": 1, "qui vient": 1, "pour": 1}
_NOT_A_DAY = frozenset(("le", "les", "du", "au", "chaque", "de", "tous", "jusqu", "a", "des", "aux", "ou"))

_M, _W = "|".join(_MONTHS), "|".join(_WEEKDAYS)
_Q = r"(?: (?P<qual>dernier|passe|prochain|qui vient))?"
_DAY = rf"(?:(?P<part>depuis|pour) )?(?:(?P<wd>{_W}) )?(?:(?:le|du|au) )?"
_Numeric = list[tuple[int, int, int | None]]
_RULES = {
    "numeric": rf"{_DAY}§(?P<idx>\d+)",
    "day_month": rf"{_DAY}(?P<day>\d{{1,2}}) (?P<month>{_M})(?: (?P<year>\d{{4}}))?{_Q}",
    "month": r"(?:(?P<part>fin|debut|mi|courant|en|pour|depuis|des|vers|mois de|mois d)"
    rf"(?: (?:de|d|du|le|la|l|mois de|mois d|mois)){{0,2}} )?(?P<month>{_M})(?: (?P<year>\d{{4}}))?{_Q}",
    "word": "|".join(sorted(_TODAY_WORDS, key=len, reverse=True)),
    "weekday": rf"(?P<wd>{_W}){_Q}",
    "period": rf"(?P<unit>semaine|mois|an){_Q}",
    "offset": r"(?P<dir>dans|ilya|depuis) (?P<n>\d{1,3}) (?P<unit>jour|semaine|mois|an)",
}
_PATTERNS = {name: re.compile(rf"(?<!\S)(?:{rule})(?!\S)") for name, rule in _RULES.items()}
_ISO_DATE = re.compile(r"(?<![\w/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w/-]|\.\d)")
_NUMERIC_DATE = re.compile(
    r"(?<![\w/*])(?<!\d[.,-])(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?"
    r"(?![\w/*]|[/.,-]\d|\s*(?:ans?|h|heures?|jours?|journees?|mois|%|€|euros?)\b)"
)
_ADVERBS = r"\s+(?:(?:deja|déjà|bien|ete|été|pas|malheureusement|tous|toutes)\s+)*"
_AUX = r"\b(?:ai|as|a|avons|avez|ont|suis|es|est|sommes|etes|sont|ete)" + _ADVERBS
# "avoir" + a participle, but not one of planning ("j'ai décidé de déménager en juin") or "a côté"
_PAST_ACCENTED = re.compile(
    r"\b(?:ai|as|a|avons|avez|ont)" + _ADVERBS + r"(?!fix|programm|planifi|envisag|convoqu|annonc|cot|décid"
    r"|demand|pens|essay|oubli|commenc|trouv|appel|contact|cherch|command|envoy|réserv|prépar|inform)"
    r"\w+(?:é|ée|és|ées)\b"
)
_PAST = re.compile(
    _AUX + r"(?:decede|marie|pacse|divorce|separe|demenage|licencie|arrive|quitte|accouche|installe|embauche"
    r"|adopte|signe|achete|mort|parti|eu|perdu|recu|vendu|survenu|fini)(?:e|s|es)?\b"
    r"|\b(?:est|suis|sont|sommes|es)\s+nee?s?\b|\b(?:etai[st]|etaient|avai[st]|avaient|deces)\b"
)
_FUTURE = re.compile(
    r"\b(?:vais|vas|va|allons|allez|vont)\s+(?:\w+\s+)?\w+(?:er|ir|re|oir)\b"
    r"|\b(?:(?:je|on|nous|me|se) |j)(?:me |nous |se )?(?:marie|marions|pacse|pacsons|demenag\w*)\b"
    r"|\b(?:prevue?s?|prevoi[st]|prevoyons|attend|attends|attendons|attendez|attendent|bientot|futur|future"
    r"|doit|dois|devons|devez|doivent|devrai[st]?|devrions|comptons|envisageons|souhaitons|voudrions)\b"
    r"|\b\w{2,}[ei]r(?:ai|as|a|ont)\b|\b(?:au|se|fe|i|pour|dev|viend|tiend|voud|ve|fau)r(?:ai|as|a|ons|ez|ont)\b"
)


def extract_event_date(text: str, today: date) -> date | None:
    """The date of the first date phrase in `text` (French), relative to `today`; None when there is none."""
    folded = strip_accents(text.replace("§", " "))  # "§" marks the numeric dates below
    numeric: _Numeric = []

    def mark(m: re.Match[str]) -> str:
        if m["sep"] != "/" and m["y"] is None:  # "10-12 ans", "3.5": a year is needed with "-" and "."
            return m[0]
        year = None if m["y"] is None else int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
        numeric.append((int(m["d"]), int(m["m"]), year))
        return f" §{len(numeric) - 1} "

    canon = _canonical(_NUMERIC_DATE.sub(mark, _ISO_DATE.sub(r"\3/\2/\1", folded)))
    hint = _tense_hint(unicodedata.normalize("NFC", text.lower()), folded)
    found: list[tuple[bool, int, int, date]] = []
    for name, pattern in _PATTERNS.items():
        for m in pattern.finditer(canon):
            try:
                value = _resolve(name, m, numeric, today, hint)
            except (ValueError, OverflowError):  # "le 31 février", "dans 999 ans"
                value = None
            if value is not None:
                found.append((name == "word" and value == today, m.start(), m.start() - m.end(), value))
    return min(found)[3] if found else None  # "aujourd'hui, je voudrais...": a way of speaking


def format_date_fr(d: date, today: date | None = None) -> str:
    """`d` in French ("24 mars", "1er avril"), with the year when it is not the year of `today`."""
    reference = today or date.today()
    text = f"{'1er' if d.day == 1 else d.day} {MONTH_NAMES[d.month - 1]}"
    return text if d.year == reference.year else f"{text} {d.year}"


def _canonical(text: str) -> str:
    tokens: list[str] = []
    for raw in re.findall(r"§\d+|[a-z0-9]+|[^\sa-z0-9'-]", text):
        split = re.fullmatch(r"(\d+)([a-z]+)", raw)  # "3j", "15mars"
        for word in map(_canonical_word, split.groups() if split and raw not in _ALIASES else (raw,)):
            if tokens and (tokens[-1], word) in _MERGES:
                tokens[-1] = _MERGES[tokens[-1], word]
            else:
                tokens.append(word)
    words = _IDIOMS.sub(lambda m: "1 semaine" if m[1] == "huit" else "2 semaine", " ".join(tokens)).split()
    canonical: list[str] = []
    i = 0
    while i < len(words):
        previous = canonical[-1] if canonical else ""
        number = read_number(words, i)  # "le vingt et un mars", "dans trois semaines"
        if words[i] in _ABBREVIATIONS and (previous.isdigit() or previous in ("fin", "debut", "mi")):
            canonical.append(_MONTHS[_ABBREVIATIONS[words[i]] - 1])  # "15 sept", "fin janv"
            i += 1
        elif number is not None:
            canonical.append(str(number[0]))
            i = number[1]
        else:
            canonical.append(words[i])
            i += 1
    return " ".join(canonical)


@lru_cache(maxsize=4096)
def _canonical_word(word: str) -> str:
    if word in _ALIASES or word in _VOCABULARY or word in _NOT_TYPOS or len(word) < 5 or not word.isalpha():
        return _ALIASES.get(word, word)
    found = [c for c in _TYPOS.candidates(word, 1) if c.word[0] == word[0]]
    best = {_ALIASES.get(c.word, c.word) for c in found if c.distance == found[0].distance}
    return best.pop() if len(best) == 1 else word


def _tense_hint(lowered: str, folded: str) -> int:
    """-1 when the message speaks of the past, 1 of the future, 0 when it is unclear."""
    past = bool(_PAST_ACCENTED.search(lowered) or _PAST.search(folded))
    return int(bool(_FUTURE.search(folded))) - int(past)


def _resolve(name: str, m: re.Match[str], numeric: _Numeric, today: date, hint: int) -> date | None:
    groups, before, after = m.groupdict(), m.string[: m.start()].split()[-1:], m.string[m.end() :].split()[:1]
    qual, part = groups.get("qual"), groups.get("part")
    sign, strict = _SIGNS.get(qual or part or "", hint), qual is not None
    if name == "word":
        return today + timedelta(days=_TODAY_WORDS[m[0]])
    if name == "offset":
        n = int(m["n"]) * (1 if m["dir"] == "dans" else -1)
        if m["unit"] in ("jour", "semaine"):
            return today + timedelta(days=n * (7 if m["unit"] == "semaine" else 1))
        return _shift_months(today, n * (12 if m["unit"] == "an" else 1))
    if name == "period":
        if qual is None or (before and before[0].isdigit()):  # "2 ans passés"
            return None
        if m["unit"] == "semaine":
            return today + timedelta(days=7 * sign)
        if m["unit"] == "mois":
            return _shift_months(today.replace(day=1), sign)
        return date(today.year + sign, 1, 1)
    weekday = _WEEKDAYS.index(m["wd"]) if groups.get("wd") else None
    if name == "weekday" and weekday is not None:
        if qual is None and (set(before) & _NOT_A_DAY or after == ["au"]):
            return None  # habits and ranges: "le lundi", "du lundi au vendredi"
        offset = (weekday - today.weekday()) % 7
        if sign == 0:
            return today + timedelta(days=offset - 7 if offset > 3 else offset)
        return today + timedelta(days=(offset or 7) if sign > 0 else offset - 7)
    year = int(m["year"]) if groups.get("year") else None
    if name == "month":
        return _month(_MONTHS.index(m["month"]) + 1, year, part, sign, strict, today)
    if name == "numeric":
        day, month, year = numeric[int(m["idx"])]
    else:
        day, month = int(m["day"]), _MONTHS.index(m["month"]) + 1
    if year is not None:
        return date(year, month, day)
    candidates = [date(y, month, day) for y in range(today.year - 1, today.year + 2) if _valid(y, month, day)]
    if sign:
        candidates = [d for d in candidates if (d - today).days * sign >= strict] or candidates
        return min(candidates, key=lambda d: (d - today).days * sign, default=None)
    return min(candidates, key=lambda d: (abs((d - today).days), d < today), default=None)


def _month(
    month: int, year: int | None, part: str | None, sign: int, strict: bool, today: date
) -> date | None:
    if part is None and year is None and not strict:
        return None  # a bare month name ("mai") is not a date; "mai 2027" and "mai dernier" are
    if year is None:
        delta = (month - today.month) % 12
        delta += {0: -12 * (delta > 6), -1: -12 * (delta > 0 or strict), 1: 12 * (strict and delta == 0)}[
            sign
        ]
        year, month = divmod(today.year * 12 + today.month - 1 + delta, 12)
        month += 1
    return date(year, month, {"fin": calendar.monthrange(year, month)[1], "mi": 15}.get(part or "", 1))


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _shift_months(d: date, months: int) -> date:
    year, month = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))
