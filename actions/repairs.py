"""What keeps the questionnaire on its rails: skip, go back, start over, cancel, digressions.

While a question is pending, every message reaches `action_situation` (see
`data/rules/questionnaire.yml`). It first tries the message as an answer; when it is not one,
these functions read it as a repair of the conversation or a digression, answer it, and the
pending question is asked again, so a person is never left without the question in front of them.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.kb_answers import best_fiches, define_answer, fiche_cards
from actions.questions import ask, find_question
from actions.state import DialogueState, already_greeted, asks_something, typed_text
from assistant.kb import KnowledgeBase
from assistant.kb.models import Question
from assistant.understanding.router import Route

REPAIR_INTENTS = ("dont_know", "go_back", "start_over", "cancel")
# "je peux pas faire ça maintenant, on arrête": a request to stop the questions, whatever its intent
LEAVING = re.compile(
    r"\b(?:on arr[eê]te(?! de)|arr[eê]tons|on laisse tomber|laisse(?:z)? tomber|j'abandonne|"
    r"annule(?:z)? tout)\b",
    re.IGNORECASE,
)
# "je sais pas s'il avait la nationalité française": unsure first, whatever the sentence then names
UNSURE = re.compile(
    r"^\W*(?:je (?:ne )?sais (?:pas|plus)\b|je (?:ne )?suis pas (?:trop |vraiment |bien )?s[uû]re?\b|"
    r"j'?sais pas|"
    r"chais pas|aucune id[ée]e|je n'en sais rien|je n'sais pas)",
    re.IGNORECASE,
)
# Intents whose own short answer is given before the pending question is asked again.
SMALL_TALK = {
    "greet": "utter_greet_in_questionnaire",
    "thank": "utter_thank_in_questionnaire",
    "bot_challenge": "utter_bot_challenge",
    "out_of_scope": "utter_out_of_scope",
    "goodbye": "utter_goodbye_in_questionnaire",
}
CLEARED_SLOTS = ("plan", "summary", "open_questions")


def forget_everything(before: DialogueState) -> list[EventType]:
    """Every slot of the situation dialogue back to empty (situations, answers, plan...)."""
    events = DialogueState().changes(before)
    return events + [SlotSet(name, None) for name in CLEARED_SLOTS]


def start_over(dispatcher: CollectingDispatcher, before: DialogueState) -> list[EventType]:
    dispatcher.utter_message(response="utter_start_over")
    return forget_everything(before)


def cancel(dispatcher: CollectingDispatcher, before: DialogueState) -> list[EventType]:
    """ "Laisse tomber": the questions stop; nothing else is kept from them."""
    if before.pending_question is None:
        dispatcher.utter_message(response="utter_cancel_nothing_pending")
        return []
    dispatcher.utter_message(response="utter_questionnaire_cancelled")
    return forget_everything(before)


def previous_question(kb: KnowledgeBase, state: DialogueState) -> Question | None:
    """The question answered (or skipped) just before the pending one, in the fiche's order;
    with no question pending, the last one answered."""
    done = set(state.answers) | set(state.skipped)
    ordered = [q for sid in state.situations if sid in kb.situations for q in kb.situations[sid].questions]
    pending_at = next((i for i, q in enumerate(ordered) if q.id == state.pending_question), len(ordered))
    earlier = [q for q in ordered[:pending_at] if q.id in done]
    if earlier:
        return earlier[-1]
    later = [q for q in ordered if q.id in done]
    return later[-1] if later else None


def go_back(kb: KnowledgeBase, state: DialogueState) -> Question | None:
    """Forget the previous answer so that its question comes next; the question, or None."""
    question = previous_question(kb, state)
    if question is not None:
        state.answers.pop(question.id, None)
        state.skipped = [q for q in state.skipped if q != question.id]
    return question


def skip(state: DialogueState) -> bool:
    """ "Je ne sais pas": the pending question is skipped (its démarches stay in the plan)."""
    if state.pending_question is None or state.pending_question in state.skipped:
        return False
    state.answers.pop(state.pending_question, None)
    state.skipped.append(state.pending_question)
    return True


def answer_digression(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    kb: KnowledgeBase,
    route: Route | None,
    intent: str | None,
    domain: dict[str, Any],
) -> bool:
    """Answer what the person asked in the middle of the questions; False when it is not a
    digression this module knows (the caller then says it did not understand)."""
    if intent in SMALL_TALK and (route is None or route.kind == "intent"):
        if intent != "greet" or not already_greeted(tracker):  # no second "bonjour"
            dispatcher.utter_message(response=SMALL_TALK[intent])
        return True
    if route is None:
        return False
    if route.kind == "definition":
        define_answer(dispatcher, tracker, domain)
        return True
    entries = [kb.catalogue[fid] for fid in route.fiches if fid in kb.catalogue]
    asked = asks_something(tracker)  # "combien de temps pour déclarer le décès ?"
    if asked and not entries:
        entries = best_fiches(kb, typed_text(tracker), [])
    if (
        (route.kind in ("question", "clarify") or asked)
        and entries
        and intent in ("ask_demarche", "ask_definition")
    ):
        state = DialogueState.from_tracker(tracker)
        dispatcher.utter_message(
            json_message=fiche_cards(typed_text(tracker), entries, bool(state.situations))
        )
        return True
    return False


def ask_again(
    dispatcher: CollectingDispatcher, kb: KnowledgeBase, state: DialogueState, domain: dict[str, Any]
) -> None:
    question = find_question(kb, state.situations, state.pending_question or "")
    if question is not None:
        dispatcher.utter_message(response="utter_back_to_question")
        ask(dispatcher, question, domain)
