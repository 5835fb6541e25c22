"""When the message is unclear: the fiches and situations it may be about, as choices; and the
list of answers a person may correct."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import previous_user_intents
from actions.kb import get_kb
from actions.kb_answers import fiche_cards
from actions.questions import RESET_SUFFIX, answer_payload, find_question
from actions.state import DialogueState, response_text, typed_text
from actions.understanding import route_message
from assistant.kb import KnowledgeBase
from assistant.understanding.router import Route


def offer_choices(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    kb: KnowledgeBase,
    route: Route,
    domain: dict[str, Any],
) -> list[EventType]:
    """A question, or a message the router is unsure of: the fiches the search found, then the
    situations it may be about as buttons, plus "Autre chose"; never one situation taken alone."""
    text = typed_text(tracker)
    entries = [kb.catalogue[fid] for fid in route.fiches if fid in kb.catalogue]
    if entries:
        dispatcher.utter_message(json_message=fiche_cards(text, entries, in_situation=False))
    candidates = [sid for sid in route.candidates if sid in kb.situations]
    if candidates:
        buttons = [{"title": kb.situations[s].title, "payload": f"/situation_{s}"} for s in candidates]
        buttons.append({"title": response_text(domain, "utter_none_of_these"), "payload": "/deny"})
        intro = "utter_ask_situation_after_fiches" if entries else "utter_ask_which_situation"
        dispatcher.utter_message(response=intro, buttons=buttons)
    elif not entries:
        again = previous_user_intents(tracker, 2) == ["nlu_fallback", "nlu_fallback"]
        dispatcher.utter_message(response="utter_offer_human" if again else "utter_default")
    return []


class ActionClarify(Action):
    """Not sure what the message is about: ask with fiches and buttons rather than guess."""

    def name(self) -> str:
        return "action_clarify"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kb = get_kb()
        route = route_message(tracker, kb) if typed_text(tracker) else Route("clarify")
        if route.kind not in ("question", "clarify"):
            route = Route("clarify", fiches=route.fiches, candidates=route.situations[:3])
        return offer_choices(dispatcher, tracker, kb, route, domain)


class ActionChangeAnswers(Action):
    """Let the person pick an answer to correct; the question is asked again."""

    def name(self) -> str:
        return "action_change_answers"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kb = get_kb()
        state = DialogueState.from_tracker(tracker)
        answered = [
            q for qid in [*state.answers, *state.skipped] if (q := find_question(kb, state.situations, qid))
        ]
        if not answered:
            dispatcher.utter_message(response="utter_nothing_to_change")
            return []
        buttons = [{"title": q.text, "payload": answer_payload(q.id + RESET_SUFFIX)} for q in answered]
        dispatcher.utter_message(response="utter_change_which", buttons=buttons)
        return []
