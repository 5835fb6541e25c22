"""Deadlines written inside sentences, relative to a situation's event.

The chapter headings of a situation fiche give coarse timings ("Dans les 6 jours : obsèques"); the
sentences themselves, and the fiche each démarche links to, are often more precise: "L'inhumation doit
avoir lieu 24 heures au moins et 6 jours ouvrables au plus après le décès", "vous devez dans les 8 jours
qui suivent le changement de domicile l'inscrire", "un délai de préavis pouvant aller de 1 à 3 mois
avant le déménagement". :func:`sentence_deadline` reads such a phrase when it is relative to one of the
situation's event words (:mod:`assistant.kb.events`), never to something else ("dans les 8 jours
suivant sa demande" is not a deadline of the death).

A range before the event ("de 1 à 3 mois avant") keeps its longer end: the safe date to act by.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from assistant.french.folding import strip_accents
from assistant.french.numbers import NUMBER_PATTERN, parse_number
from assistant.kb.text import clean_spaces
from assistant.kb.timing import Deadline, make_deadline

_NUM = rf"(?:\d+|{NUMBER_PATTERN})"
_UNIT = r"(?:heures?|jours?|semaines?|mois|ans?|annees?)"
_QUALIFIER = r"(?: (?P<qualifier>ouvrables|ouvres|calendaires|francs))?"
_GAP = r"[^.;:!?]{0,45}?"  # a few words between the phrase and the event ("la date a laquelle vous ...")
_AFTER = r"(?:qui su(?:it|ivent)|suivant|apres|a compter d[eu']|a partir d[eu'])"
_NOT_WORKING = re.compile(r"^[^.;]{0,25}?\(?(?:hors|sauf) (?:les )?(?:samedis|week-?ends?|jours feries)")
_THIRD_PERSON = re.compile(r"\b(?:son|sa|leur) $")
_NO_SUNDAYS = re.compile(r"^[^.;]{0,25}?\(?(?:dimanches?|sauf le dimanche)")


def _patterns(events: str) -> list[tuple[str, re.Pattern[str]]]:
    event = rf"\b(?P<event>{events})\b"
    return [
        ("after", re.compile(
            rf"\b(?:dans|sous|d'ici) (?:les |le |la |l'|un delai (?:maximum )?de )?(?P<n>{_NUM} )?"
            rf"(?P<unit>{_UNIT}){_QUALIFIER}(?: maximum| au plus tard)? {_AFTER}{_GAP}{event}"
        )),
        ("after", re.compile(
            rf"\b(?:au (?:plus tard|maximum) )?(?P<n>{_NUM}) (?P<unit>{_UNIT}){_QUALIFIER}"
            rf"(?: au (?:plus|maximum))? (?:apres|suivant){_GAP}{event}"
        )),
        ("before", re.compile(  # "4 à 6 mois avant": by 4 months before; "pouvant aller de 1 à 3 mois": 3
            rf"\b(?:(?P<upto>pouvant aller )?(?:de |entre )?(?P<low>{_NUM}) (?:a|et) |"
            rf"au moins |au plus tard )?"
            rf"(?P<n>{_NUM}) (?P<unit>{_UNIT}){_QUALIFIER}(?: au moins| au plus tard)? avant{_GAP}{event}"
        )),
        ("after", re.compile(  # the event first: "communiquer les changements … dans un délai de 72 heures"
            rf"{event}{_GAP} dans (?:les |un delai (?:maximum )?de )"
            rf"(?P<n>{_NUM}) (?P<unit>{_UNIT}){_QUALIFIER}"
            rf"(?! (?:qui su|suivant|apres|avant|a compter))"
        )),
        ("on", re.compile(
            rf"^(?:avant|lors de|au moment de) (?:mon |ma |mes |le |la |l'|votre |du |de la )?{event}"
        )),
    ]  # fmt: skip


def _day_kind(word: str, qualifier: str | None, rest: str) -> str | None:
    """``working_day`` (ouvrables, Sundays and holidays left out), ``business_day`` (ouvrés, "hors
    week-ends et jours fériés") or ``None`` (calendar time)."""
    if not word.startswith(("jour", "heure")):
        return None
    if qualifier == "ouvrables" or _NO_SUNDAYS.match(rest):
        return "working_day"
    if qualifier == "ouvres" or _NOT_WORKING.match(rest):
        return "business_day"
    return None


def sentence_deadline(text: str, events: Sequence[str]) -> Deadline | None:
    """The first deadline of ``text`` relative to one of ``events`` (folded words), or ``None``."""
    if not events or not text:
        return None
    base = clean_spaces(text)
    folded = strip_accents(base)
    aligned = len(folded) == len(base)
    alternation = "|".join(re.escape(word) for word in sorted(events, key=len, reverse=True))
    found: list[tuple[int, Deadline]] = []
    for kind, pattern in _patterns(alternation):
        for match in pattern.finditer(folded):
            if kind == "on":
                found.append(
                    (
                        match.start(),
                        make_deadline(match.group(0), "before", 0, "jour", event=match.group("event")),
                    )
                )
                continue
            number = match.group("n")
            if kind == "before" and match.group("low") and not match.group("upto"):
                number = match.group("low")  # a window: act by its nearer end
            amount = parse_number(number.strip(), ordinals=False) if number else 1
            if amount is None or (kind == "before" and _THIRD_PERSON.search(folded[: match.start("event")])):
                continue  # "3 mois avant son décès" tells the deceased's past, not a deadline
            rest = folded[match.end() : match.end() + 60]
            day_kind = _day_kind(match.group("unit"), match.group("qualifier"), rest)
            phrase = base[match.start() : match.end()] if aligned else match.group(0)
            deadline = make_deadline(
                phrase, kind, amount, match.group("unit"), day_kind=day_kind, event=match.group("event")
            )
            if kind == "before" and match.group("low") and match.group("upto"):
                deadline = replace(deadline, least=parse_number(match.group("low").strip(), ordinals=False))
            found.append((match.start(), deadline))
    return min(found, key=lambda pair: pair[0])[1] if found else None


def opening_deadline(text: str, events: Sequence[str]) -> Deadline | None:
    """The deadline of a paragraph that opens with it: "Avant mon départ, j'accomplis …"."""
    found = sentence_deadline(text, events)
    folded = strip_accents(clean_spaces(text))
    return found if found is not None and folded.startswith(("avant ", "lors de", "au moment de")) else None


_EXTENDED = re.compile(r"prolonge jusqu'au (?:1 ?er ?|premier )jour ouvrable")


def first_deadline(texts: Iterable[str], events: Sequence[str]) -> Deadline | None:
    """The fiche's deadline for the event: see :func:`_first`; marked ``extended`` when the fiche says
    a last day on a Saturday, Sunday or holiday moves to the next working day."""
    texts = list(texts)
    found = _first(texts, events)
    if found is not None and any(_EXTENDED.search(strip_accents(text)) for text in texts):
        return replace(found, extended=True)
    return found


def _first(texts: Iterable[str], events: Sequence[str]) -> Deadline | None:
    """The first deadline in ``texts``; a later statement of the same delay in working days wins
    ("dans les 24 heures" then "dans les 24 heures …, hors week-ends et jours fériés")."""
    first: Deadline | None = None
    for text in texts:
        deadline = sentence_deadline(text, events)
        if deadline is None:
            continue
        if first is None:
            first = deadline
        elif (deadline.days, deadline.kind) == (first.days, first.kind) and deadline.unit in (
            "working_day", "business_day"
        ) and first.unit not in ("working_day", "business_day"):  # fmt: skip
            return deadline
    return first
