"""Which document a report is about, from the person's own words; never refused.

A cerfa number names its fiche. A letter, an e-mail or a notice received is recorded with its
sender. A title ("le dossier de demande de logement social") is looked up in the catalogue and
the fiche is kept when one stands out; otherwise the person's words are recorded as they are.
"""

from __future__ import annotations

import re
from typing import Any

from actions.kb_answers import MIN_SCORE
from assistant.feedback.reading import letter_kind, sender_of
from assistant.kb import KnowledgeBase
from assistant.kb.cerfa import base_number, parse_query
from assistant.kb.models import CatalogueEntry
from assistant.kb.text import STOPWORDS, words

_KINDS = {"formulaire": "form", "téléservice": "website", "modèle de document": "form"}
_FORM_KINDS = {"formulaire": 2, "téléservice": 1}  # a cerfa names the form, then its online service
CLEAR_LEAD = 1.25  # the best fiche is kept when it scores this much more than the next one
AGREEING = 2 / 3  # ... or when this share of the close ones are about the same cerfa
_FORM = re.compile(r"\b(formulaire|cerfa|dossier|imprim[ée]|demande|papiers?)\b", re.IGNORECASE)
_WEBSITE = re.compile(r"\b(site|en ligne|internet|appli|application|espace personnel)\b", re.IGNORECASE)
_NOTICE = re.compile(r"\b(notice|guide|brochure|d[ée]pliant)\b", re.IGNORECASE)
# Where the complaint starts in "le formulaire de la CAF est illisible": the document is before it.
_COMPLAINT = re.compile(
    r"\s*(,|\bc'?est\b|\best\b|\bsont\b|\bj'?y\b|\bje\b|\btrop\b|\billisible|"
    r"\bincompr[ée]hensible|\bcompliqu[ée]|\bcomplexe|\bdifficile|\bimbitable|\bpas clair|"
    r"\bqui\b|\bque\b).*$",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"^\s*((bonjour|alors|ben|bah|euh|voil[àa])[\s,:]+)*"
    r"(je (veux|voudrais|souhaite|dois) (faire )?(un |une )?"
    r"(signaler|signalement|me plaindre|r[ée]clamation|dire que)( (de|d'|du|des|sur|pour|concernant))?"
    r"|j'?\s?ai re[çc]u|signaler|signalement( de| du| sur)?)?[\s,:]*",
    re.IGNORECASE,
)
_GENERIC = re.compile(
    r"^(un|une|le|la|les|ce|cet|cette|ces|mon|ma|mes)?\s*(document|papier|truc|formulaire|courrier|lettre)?"
    r"\s*(administratif|officiel)?\s*$",
    re.IGNORECASE,
)


def document_of(entry: CatalogueEntry, typed: str = "") -> dict[str, Any]:
    """The report's document; its cerfa is the one the person named, else the fiche's first."""
    named = {base for base, _ in parse_query(typed)}
    cerfa = next((c for c in entry.cerfa if base_number(c) in named), entry.cerfa[0] if entry.cerfa else None)
    return {
        "label": entry.title,
        "kind": _KINDS.get(entry.kind, "notice"),
        "fiche_id": entry.id,
        "cerfa": cerfa,
        "organisation": entry.organisation,
    }


def document_phrase(text: str) -> str:
    """The words that name the document: "j'ai reçu une lettre de la CAF, c'est illisible"
    -> "une lettre de la CAF"."""
    lead = _LEAD.sub("", text.strip(), count=1)
    phrase = _COMPLAINT.sub("", lead).strip(" .,!?:;")
    return phrase or lead.strip(" .,!?:;")


def kind_of(text: str) -> str:
    letter = letter_kind(text)
    if letter:
        return letter
    if _WEBSITE.search(text):
        return "website"
    if _FORM.search(text):
        return "form"
    return "notice" if _NOTICE.search(text) else "document"


def free_document(text: str) -> dict[str, Any]:
    """The document as the person named it, with its sender when they said who sent it."""
    label = document_phrase(text)[:200] or "Document"
    return {
        "label": label,
        "kind": kind_of(text),
        "fiche_id": None,
        "cerfa": None,
        "organisation": sender_of(text),
    }


def names_a_document(text: str) -> bool:
    """Whether a first message ("la lettre de la CAF est illisible") says which document it is,
    or only that there is one ("je veux signaler un document trop compliqué")."""
    phrase = document_phrase(text)
    named = sender_of(text) is not None or letter_kind(text) is not None
    return bool(phrase) and (not _GENERIC.match(phrase) or named)


def standout_fiche(kb: KnowledgeBase, text: str) -> CatalogueEntry | None:
    """The catalogue fiche the words clearly designate, or None. "le formulaire de procuration":
    only the forms and online services are looked at."""
    hits = [h for h in kb.search(document_phrase(text), limit=10) if h.score >= MIN_SCORE]
    if _FORM.search(text) or _WEBSITE.search(text):
        forms = [h for h in hits if h.entry.kind in _FORM_KINDS or h.entry.cerfa]
        hits = forms or hits
    if not hits:
        return None
    if len(hits) > 1 and hits[0].score < hits[1].score * CLEAR_LEAD:
        # close scores, one form: "s'inscrire sur les listes électorales" finds the new voter's
        # fiche, the one for a move and a third, all about cerfa 12669 (and one other)
        close = [h.entry for h in hits if h.score * CLEAR_LEAD >= hits[0].score and h.entry.cerfa]
        if not _FORM.search(text) or not close or close[0] is not hits[0].entry:
            return None
        same = [e for e in close if base_number(e.cerfa[0]) == base_number(close[0].cerfa[0])]
        return close[0] if len(same) >= 2 and len(same) >= AGREEING * len(close) else None
    return hits[0].entry


def _overlap(entry: CatalogueEntry, text: str) -> int:
    said = set(words(text)) - STOPWORDS
    return len(said & set(words(entry.title)))


def _form_of(kb: KnowledgeBase, entry: CatalogueEntry, text: str) -> CatalogueEntry:
    """The form itself (an `R` entry of kind "formulaire") rather than the fiche that explains
    it, when the person speaks of a form and the fiche names its cerfa."""
    if entry.kind == "formulaire" or not entry.cerfa or not _FORM.search(text) or _NOTICE.search(text):
        return entry
    forms = [e for e in kb.find_cerfa(entry.cerfa[0]) if e.kind == "formulaire"]
    return max(forms, key=lambda e: _overlap(e, text), default=entry)


def resolve(kb: KnowledgeBase, text: str) -> dict[str, Any]:
    """The document a typed answer names: a cerfa's form, a received letter with its sender, a
    fiche that stands out, or else the person's own words."""
    named = kb.find_cerfa(text)
    if named:  # the forms carrying that number first, the one whose title the words match best
        best = max(named, key=lambda e: (_FORM_KINDS.get(e.kind, 0), _overlap(e, text)))
        document = document_of(best, text)
        if _NOTICE.search(text):  # "la notice du cerfa 12324"
            document["kind"] = "notice"
        return document
    if letter_kind(text) is None:
        entry = standout_fiche(kb, text)
        if entry is not None:
            document = document_of(_form_of(kb, entry, text), text)
            if _FORM.search(text) and document["kind"] == "notice":
                document["kind"] = "form"
            if _WEBSITE.search(text) or _NOTICE.search(text):
                document["kind"] = "website" if _WEBSITE.search(text) else "notice"
            return document
    return free_document(text)
