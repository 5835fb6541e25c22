"""How one message reads while the complaint form asks a question: an answer, a correction of
the document, or something else (a request to leave, a digression) the form lets its rules answer.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker

from actions.documents import resolve
from actions.state import looks_like_question, typed_text
from assistant.feedback import CATEGORIES
from assistant.feedback.reading import categories_in, letter_kind, sender_of
from assistant.kb import KnowledgeBase
from assistant.kb.answers import yes_or_no

# A request to leave is never taken for an answer; frustration is what a report says.
LEAVING = ("ask_human", "cancel", "start_over", "go_back")
DIGRESSIONS = ("ask_definition", "ask_demarche", "bot_challenge")
# Slots whose answer is short and known in kind: a question typed there is a digression. The
# description, the suggestion and the contact take any text.
CLOSED_SLOTS = (
    "complaint_document", "complaint_organisation", "complaint_categories",
    "complaint_categories_done", "complaint_consent",
)  # fmt: skip
OPEN_SLOTS = ("complaint_description", "complaint_suggestion")
# In those, a person is asked for in the first person or the imperative, not described.
_ASKS_FOR_SOMEONE = re.compile(
    r"^\W*(?:je (?:veux|voudrais|souhaite|peux|pourrais|aimerais|pr[ée]f[èe]re)|j'(?:aimerais|veux|voudrais)|"
    r"est-ce que je peux|puis-je|pouvez-vous|vous pouvez|passez-moi|mettez-moi|"
    r"(?:un |une )?(?:conseill[eè]re?|humain|agent|personne)\W*(?:svp|s'il vous pla[iî]t)?\W*$)",
    re.IGNORECASE,
)
CONFIDENCE = 0.6
DONE = re.compile(
    r"^\W*(c'?est tout|c tout|rien d'?autre|rien|non|nan|c'?est bon|[çc]a suffit|voil[àa]|"
    r"c'?est fini|fini|termin[ée])\b",
    re.IGNORECASE,
)
CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?:\d[\s.-]?){9,}\d")
_CORRECTION = re.compile(
    r"^\W*ah\W+non\b|\bpardon\b|\ben fait\b|je me suis tromp|c'?est pas (la|le|l'|un|une)\b"
    r"|c'?[ée]tait (un|une|la|le|l')\b",
    re.IGNORECASE,
)


def intent_of(tracker: Tracker) -> tuple[str | None, float]:
    intent = tracker.latest_message.get("intent") or {}
    name = intent.get("name")
    return (str(name) if name else None), float(intent.get("confidence") or 0.0)


_ALSO = re.compile(r"^\W*(?:ah\W+)?(?:et\W+)?(?:aussi|en plus|j'?ai oubli[ée]|autre chose)\b", re.IGNORECASE)


_LEAVE_WORDS = re.compile(r"laiss\w* tomber|annul|arr[êe]t|\bstop|abandon|oubli", re.IGNORECASE)


def answer_like(tracker: Tracker, kb: KnowledgeBase, slot: str | None) -> bool:
    """The message reads as an answer to `slot` ("trop long" to the difficulties, "non" to the
    consent): it is taken as one, whatever intent the classifier gave it ("trop long" scores as
    a cancel)."""
    text = typed_text(tracker)
    if not text or _LEAVE_WORDS.search(text) or looks_like_question(text):
        return False
    if slot in ("complaint_categories", "complaint_categories_done"):
        chosen = list(tracker.get_slot("complaint_categories") or [])
        return bool(typed_categories(text, chosen)) or (bool(chosen) and bool(DONE.match(text)))
    if slot in OPEN_SLOTS and _ALSO.match(text):
        return bool(added_categories(tracker))
    if slot == "complaint_consent":
        return yes_or_no(text) is not None or bool(CONTACT.search(text))
    if slot == "complaint_contact":
        return bool(CONTACT.search(text))
    if slot == "complaint_document":
        return bool(kb.find_cerfa(text)) or letter_kind(text) is not None or sender_of(text) is not None
    return False


def added_categories(tracker: Tracker) -> list[str]:
    """ "ah et aussi c'est trop long" where a free text is asked: difficulties added late, to be
    kept (the question is then asked again); empty when the message adds none."""
    text = typed_text(tracker)
    if not text or not _ALSO.match(text):
        return []
    chosen = list(tracker.get_slot("complaint_categories") or [])
    added = typed_categories(text, chosen)
    return [*chosen, *added] if added else []


def skipping(tracker: Tracker) -> bool:
    """ "je ne sais pas", "passer": the question is left unanswered."""
    intent, confidence = intent_of(tracker)
    return intent == "dont_know" and confidence >= CONFIDENCE


def elsewhere(tracker: Tracker, kb: KnowledgeBase, slot: str | None) -> bool:
    """Not an answer to `slot`: a request to leave, or a question typed where a short answer is
    expected ("c'est quoi ce site ?" while the difficulties are asked)."""
    intent, confidence = intent_of(tracker)
    if answer_like(tracker, kb, slot):
        return False
    if (
        intent == "ask_human"
        and slot in OPEN_SLOTS
        and not _ASKS_FOR_SOMEONE.search(typed_text(tracker) or "")
    ):
        return False  # "un numéro où on peut parler à quelqu'un" is a suggestion, not a request
    if intent in LEAVING and confidence >= CONFIDENCE:
        return True
    text = typed_text(tracker)
    if not text or slot not in CLOSED_SLOTS or intent not in DIGRESSIONS or not looks_like_question(text):
        return False
    return confidence >= CONFIDENCE or (intent == "ask_definition" and kb.define(text) is not None)


def corrected_document(tracker: Tracker, kb: KnowledgeBase) -> dict[str, Any] | None:
    """ "ah non pardon, c'est la CPAM", "c'était un mail", "je me suis trompé, c'est le 14952":
    the document recorded so far, corrected; None when the message corrects nothing."""
    document = tracker.get_slot("complaint_document")
    text = typed_text(tracker)
    if not isinstance(document, dict) or not text or not _CORRECTION.search(text):
        return None
    if kb.find_cerfa(text):
        return resolve(kb, text)
    sender, kind = sender_of(text), letter_kind(text)
    if sender is None and kind is None:
        return None
    updated = dict(document)
    if sender is not None:
        updated["organisation"] = sender
    if kind is not None:
        updated["kind"] = kind
    return updated


# numbers with at most a few linking words: "1 et 3", "5", "et 2 aussi", "la 4", "1, 2"
_NUMBERS_ONLY = re.compile(
    r"^\W*(?:(?:et|aussi|puis|la|le|les|plus|ou|num[ée]ro|n°|\d)\b[\s,.;/+&-]*)+\W*$", re.IGNORECASE
)


def numbered_categories(text: str, chosen: list[str]) -> list[str]:
    """ "1 et 3", "5", "et 2 aussi": the buttons' numbers, in the order they were shown."""
    shown = [key for key in CATEGORIES if key not in chosen]
    if not _NUMBERS_ONLY.match(text):
        return []  # "ils disent 2 choses contraires": a number in a sentence is no button's
    numbers = [int(n) for n in re.findall(r"\b\d\b", text)]
    return [shown[n - 1] for n in dict.fromkeys(numbers) if 1 <= n <= len(shown)]


def typed_categories(text: str, chosen: list[str]) -> list[str]:
    """The difficulties a typed answer names, by number or in words, not yet chosen."""
    named = numbered_categories(text, chosen) or categories_in(text)
    return [key for key in dict.fromkeys(named) if key not in chosen]
