"""A report about a document that is too complicated: a short form, resolved against the catalogue."""

from __future__ import annotations

import re
from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kb import get_kb
from actions.questions import ask, find_question
from actions.search import best_fiches
from actions.state import DialogueState, response_text, typed_before, typed_text
from assistant.feedback import CATEGORIES
from assistant.kb.cerfa import base_number, parse_query
from assistant.kb.models import CatalogueEntry

SLOTS = (
    "complaint_document", "complaint_organisation", "complaint_categories", "complaint_categories_done",
    "complaint_description", "complaint_suggestion", "complaint_consent", "complaint_contact",
)  # fmt: skip
_LETTER = re.compile(
    r"\b(courrier|lettre|mail|e-mail|email|courriel|sms|message|notification)\b", re.IGNORECASE
)
_WEBSITE = re.compile(r"\b(site|en ligne|internet|appli|application|espace personnel)\b", re.IGNORECASE)
_KINDS = {"formulaire": "form", "téléservice": "website", "modèle de document": "form"}
NONE_OF_THESE = "none"


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


def free_document(text: str) -> dict[str, Any]:
    kind = "letter" if _LETTER.search(text) else "website" if _WEBSITE.search(text) else "document"
    if kind == "letter" and re.search(r"\b(mail|e-mail|email|courriel)\b", text, re.IGNORECASE):
        kind = "email"
    return {"label": text, "kind": kind, "fiche_id": None, "cerfa": None, "organisation": None}


def entity(tracker: Tracker, name: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value is not None else None


class ValidateComplaintForm(FormValidationAction):
    """Reads each answer of the form; free text everywhere, buttons where they help."""

    def name(self) -> str:
        return "validate_complaint_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        slots = list(domain_slots)
        document = tracker.get_slot("complaint_document") or {}
        if document.get("organisation") and "complaint_organisation" in slots:
            slots.remove("complaint_organisation")  # the fiche names it: do not ask
        if tracker.get_slot("complaint_consent") is False and "complaint_contact" in slots:
            slots.remove("complaint_contact")
        return slots

    def _asked(self, tracker: Tracker, slot: str) -> bool:
        return bool(tracker.get_slot("requested_slot") == slot)

    async def extract_complaint_document(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        kb = get_kb()
        first = tracker.get_intent_of_latest_message(skip_fallback_intent=False) == "complain_document"
        if first and tracker.get_slot("requested_slot") is None:  # the first message may name it
            text = typed_text(tracker)
            named = kb.find_cerfa(text)
            return {"complaint_document": document_of(named[0], text)} if named else {}
        if not self._asked(tracker, "complaint_document"):
            return {}
        chosen = entity(tracker, "fiche_id")
        if chosen:
            entry = kb.catalogue.get(chosen)
            title = typed_before(tracker)  # what the person typed before the buttons were shown
            return {"complaint_document": document_of(entry) if entry else free_document(title or "Document")}
        text = typed_text(tracker)
        if not text:
            return {}
        if _LETTER.search(text):
            return {"complaint_document": free_document(text)}
        entries = kb.find_cerfa(text) or best_fiches(kb, text, [])
        if re.search(r"\b(formulaire|cerfa|dossier)\b", text, re.IGNORECASE):  # forms first
            entries.sort(key=lambda e: not (e.cerfa or e.kind in _KINDS))
        if len(entries) == 1 or (entries and entries[0].cerfa and kb.find_cerfa(text)):
            return {"complaint_document": document_of(entries[0], text)}
        if not entries:
            return {"complaint_document": free_document(text)}
        buttons = [
            {"title": e.title, "payload": f'/choose_document{{"fiche_id":"{e.id}"}}'} for e in entries[:3]
        ]
        buttons.append(
            {
                "title": response_text(domain, "utter_none_of_these"),
                "payload": f'/choose_document{{"fiche_id":"{NONE_OF_THESE}"}}',
            }
        )
        dispatcher.utter_message(response="utter_complaint_which_document", buttons=buttons)
        return {}

    async def extract_complaint_organisation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = typed_text(tracker)
        return (
            {"complaint_organisation": text[:200]}
            if self._asked(tracker, "complaint_organisation") and text
            else {}
        )

    def _categories(self, tracker: Tracker, slot: str) -> dict[str, Any]:
        if not self._asked(tracker, slot):
            return {}
        chosen = list(tracker.get_slot("complaint_categories") or [])
        category = entity(tracker, "category")
        if category == "done" and chosen:
            return {"complaint_categories_done": True}
        if category in CATEGORIES:
            return {"complaint_categories": chosen if category in chosen else [*chosen, category]}
        text = typed_text(tracker)
        if text:  # typed instead of pressing a button: that is the description
            return {
                "complaint_categories": chosen if "other" in chosen else [*chosen, "other"],
                "complaint_categories_done": True,
                "complaint_description": text,
            }
        return {}

    async def extract_complaint_categories(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._categories(tracker, "complaint_categories")

    async def extract_complaint_categories_done(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._categories(tracker, "complaint_categories_done")

    async def extract_complaint_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = typed_text(tracker)
        return (
            {"complaint_description": text} if self._asked(tracker, "complaint_description") and text else {}
        )

    async def extract_complaint_suggestion(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not self._asked(tracker, "complaint_suggestion"):
            return {}
        if tracker.get_intent_of_latest_message(skip_fallback_intent=False) == "deny":
            return {"complaint_suggestion": ""}
        text = typed_text(tracker)
        return {"complaint_suggestion": text} if text else {}

    async def extract_complaint_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not self._asked(tracker, "complaint_consent"):
            return {}
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        return {"complaint_consent": intent == "affirm"} if intent in ("affirm", "deny") else {}

    async def extract_complaint_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = typed_text(tracker)
        return {"complaint_contact": text[:300]} if self._asked(tracker, "complaint_contact") and text else {}


class ActionAskComplaintCategories(Action):
    """Categories as buttons; several can be chosen, then "C'est tout"."""

    def name(self) -> str:
        return "action_ask_complaint_categories"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        chosen = tracker.get_slot("complaint_categories") or []
        buttons = [
            {"title": label, "payload": f'/choose_category{{"category":"{key}"}}'}
            for key, label in CATEGORIES.items()
            if key not in chosen
        ]
        if chosen:
            buttons.append(
                {
                    "title": response_text(domain, "utter_button_done"),
                    "payload": '/choose_category{"category":"done"}',
                }
            )
        dispatcher.utter_message(
            response="utter_ask_complaint_categories"
            if not chosen
            else "utter_ask_complaint_more_categories",
            buttons=buttons,
        )
        return []


class ActionAskMoreComplaintCategories(ActionAskComplaintCategories):
    def name(self) -> str:
        return "action_ask_complaint_categories_done"


def resume_situation(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> None:
    """Back to the situation's pending question, if the report interrupted one."""
    state = DialogueState.from_tracker(tracker)
    question = (
        find_question(get_kb(), state.situations, state.pending_question) if state.pending_question else None
    )
    if question is not None:
        dispatcher.utter_message(response="utter_back_to_situation")
        ask(dispatcher, question, domain)


def reset() -> list[EventType]:
    return [SlotSet(slot, None) for slot in (*SLOTS, "requested_slot")]


class ActionSubmitComplaint(Action):
    def name(self) -> str:
        return "action_submit_complaint"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        document = dict(tracker.get_slot("complaint_document") or {})
        if not document.get("organisation"):
            document["organisation"] = tracker.get_slot("complaint_organisation")
        report = {
            "document": document,
            "categories": tracker.get_slot("complaint_categories") or [],
            "description": tracker.get_slot("complaint_description") or "",
            "suggestion": tracker.get_slot("complaint_suggestion") or None,
            "contact_consent": bool(tracker.get_slot("complaint_consent")),
            "contact": tracker.get_slot("complaint_contact")
            if tracker.get_slot("complaint_consent")
            else None,
            "situations": DialogueState.from_tracker(tracker).situations,
        }
        dispatcher.utter_message(json_message={"type": "feedback", "report": report})
        resume_situation(dispatcher, tracker, domain)
        return reset()


class ActionCancelComplaint(Action):
    def name(self) -> str:
        return "action_cancel_complaint"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_complaint_cancelled")
        resume_situation(dispatcher, tracker, domain)
        return [ActiveLoop(None), *reset()]
