"""The complaint form's questions read from what the person types: which document, who sent it,
what is difficult, in their words, and how to reach them. Never refused, never lost."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.complaint_turns import (
    CONTACT,
    DONE,
    added_categories,
    corrected_document,
    elsewhere,
    intent_of,
    skipping,
    typed_categories,
)
from actions.documents import names_a_document, resolve
from actions.kb import get_kb
from actions.state import typed_text
from assistant.feedback import CATEGORIES
from assistant.feedback.reading import categories_in, sender_of
from assistant.kb.answers import yes_or_no

SLOTS = (
    "complaint_document", "complaint_organisation", "complaint_categories", "complaint_categories_done",
    "complaint_description", "complaint_suggestion", "complaint_consent", "complaint_contact",
)  # fmt: skip


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
        known = document.get("organisation") or document.get("fiche_id")
        if known and "complaint_organisation" in slots:
            slots.remove("complaint_organisation")  # named, or the fiche tells the administration
        if tracker.get_slot("complaint_consent") is False and "complaint_contact" in slots:
            slots.remove("complaint_contact")
        return slots

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The form's slots, and the notes kept from typed categories (not a question of the form,
        so rasa_sdk would drop them)."""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        notes = tracker.slots_to_validate().get("complaint_notes")
        return [*events, SlotSet("complaint_notes", notes)] if notes else events

    def _asked(self, tracker: Tracker, slot: str) -> bool:
        """This slot was asked, and the message is not something else (a request to leave, a
        digression, a correction of the document)."""
        if tracker.get_slot("requested_slot") != slot or elsewhere(tracker, get_kb(), slot):
            return False
        return corrected_document(tracker, get_kb()) is None

    async def extract_complaint_document(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        kb = get_kb()
        first = tracker.get_intent_of_latest_message(skip_fallback_intent=False) == "complain_document"
        if first and tracker.get_slot("requested_slot") is None:  # the first message may name it
            text = typed_text(tracker)
            return {"complaint_document": resolve(kb, text)} if text and names_a_document(text) else {}
        corrected = corrected_document(tracker, kb)
        if corrected is not None:
            dispatcher.utter_message(response="utter_complaint_document_corrected")
            return {"complaint_document": corrected}
        if not self._asked(tracker, "complaint_document"):
            return {}
        text = typed_text(tracker)
        return {"complaint_document": resolve(kb, text)} if text else {}

    async def extract_complaint_organisation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = typed_text(tracker)
        if not self._asked(tracker, "complaint_organisation") or not text:
            return {}
        ahead = [] if sender_of(text) else categories_in(text)
        if ahead:  # "pas clair sur les pièces": what is difficult, said before the sender
            notes = " ".join(filter(None, [tracker.get_slot("complaint_notes"), text]))
            return {"complaint_organisation": "", "complaint_categories": ahead, "complaint_notes": notes}
        return {"complaint_organisation": "" if skipping(tracker) else text[:200]}

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
        if not text:
            return {}
        notes = " ".join(filter(None, [tracker.get_slot("complaint_notes"), text]))
        if chosen and (DONE.match(text) or intent_of(tracker)[0] == "deny"):
            return {"complaint_categories_done": True}
        named = typed_categories(text, chosen)
        if named or not chosen:  # typed instead of pressing buttons: "Autre chose ?" comes next
            return {"complaint_categories": [*chosen, *(named or ["other"])], "complaint_notes": notes}
        extra = [] if "other" in chosen else ["other"]
        return {
            "complaint_categories": [*chosen, *extra],
            "complaint_categories_done": True,
            "complaint_notes": notes,
        }

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
        if not self._asked(tracker, "complaint_description") or not text:
            return {}
        return self._late_categories(dispatcher, tracker) or {
            "complaint_description": "" if skipping(tracker) else text
        }

    @staticmethod
    def _late_categories(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """A difficulty added where a free text is asked: kept, and the question asked again."""
        categories = added_categories(tracker)
        if not categories:
            return {}
        dispatcher.utter_message(response="utter_complaint_category_added")
        return {"complaint_categories": categories}

    async def extract_complaint_suggestion(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not self._asked(tracker, "complaint_suggestion"):
            return {}
        late = self._late_categories(dispatcher, tracker)
        if late:
            return late
        if tracker.get_intent_of_latest_message(skip_fallback_intent=False) == "deny" or skipping(tracker):
            return {"complaint_suggestion": ""}
        text = typed_text(tracker)
        return {"complaint_suggestion": text} if text else {}

    async def extract_complaint_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not self._asked(tracker, "complaint_consent"):
            return {}
        text = typed_text(tracker)
        if text and CONTACT.search(text):  # "oui, appelez-moi au 06 ..." gives consent and contact
            return {"complaint_consent": True, "complaint_contact": text[:300]}
        consent = yes_or_no(text) if text else None
        intent = intent_of(tracker)[0]
        if consent is None and intent in ("affirm", "deny"):
            consent = intent == "affirm"
        # Unclear: the slot stays empty, so the form asks again instead of leaving.
        return {"complaint_consent": consent}

    async def extract_complaint_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = typed_text(tracker)
        return {"complaint_contact": text[:300]} if self._asked(tracker, "complaint_contact") and text else {}
