"""A report about a document that is too complicated: the form's buttons, its end, and leaving it.
The questions themselves are read in :mod:`actions.complaint_form`."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.complaint_form import SLOTS
from actions.kb import get_kb
from actions.questions import ask, find_question
from actions.state import DialogueState, response_text
from assistant.feedback import CATEGORIES


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
    return [SlotSet(slot, None) for slot in (*SLOTS, "complaint_notes", "requested_slot")]


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
            "description": "\n".join(
                filter(None, [tracker.get_slot("complaint_notes"), tracker.get_slot("complaint_description")])
            ),
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


class ActionComplaintGoBack(Action):
    """ "Revenir à la question d'avant" in the report: the previous answer is forgotten, and the
    form asks it again."""

    def name(self) -> str:
        return "action_complaint_go_back"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        asked_before = SLOTS[: SLOTS.index(requested)] if requested in SLOTS else SLOTS
        answered = [slot for slot in asked_before if tracker.get_slot(slot) is not None]
        if not answered:
            dispatcher.utter_message(response="utter_nothing_to_change")
            return []
        previous = answered[-1]
        together = {  # the answers asked as one question
            "complaint_categories_done": (
                "complaint_categories",
                "complaint_categories_done",
                "complaint_notes",
            ),
            "complaint_categories": ("complaint_categories", "complaint_categories_done", "complaint_notes"),
            "complaint_document": ("complaint_document", "complaint_organisation"),
        }.get(previous, (previous,))
        dispatcher.utter_message(response="utter_going_back")
        return [SlotSet(slot, None) for slot in together]
