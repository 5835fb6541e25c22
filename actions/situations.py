"""Life situations: recognise them, ask only what changes the plan, then show the plan."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clarify import offer_choices
from actions.kb import get_kb
from actions.kb_answers import define_answer
from actions.plan_view import show_plan
from actions.question_count import announce, question_counts
from actions.questions import (
    RESET_SUFFIX,
    SKIP_SUFFIX,
    ask,
    find_question,
    question_of_choice,
    selected_phrase,
)
from actions.repairs import (
    LEAVING,
    REPAIR_INTENTS,
    UNSURE,
    answer_digression,
    ask_again,
    cancel,
    go_back,
    skip,
    start_over,
)
from actions.state import (
    DialogueState,
    asks_something,
    quoted,
    response_text,
    situation_from_intent,
    today,
    typed_text,
)
from actions.summary import context_summary
from actions.understanding import route_message
from actions.why import asks_why, reason
from assistant.french.dates import extract_event_date
from assistant.kb import KnowledgeBase
from assistant.understanding.router import Route

SURE_REPAIR = 0.6  # "je ne sais pas" this sure is a skip, even if the sentence names a choice


def intent_confidence(tracker: Tracker) -> float:
    return float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)


class ActionSituation(Action):
    """One turn of the situation dialogue: new situations, answers, event date, next step.

    "oui", "non" and unclear messages also come here: they are answers only while a question
    is pending; otherwise an unclear message is clarified and a bare yes/no is acknowledged.
    """

    def name(self) -> str:
        return "action_situation"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kb = get_kb()
        before = DialogueState.from_tracker(tracker)
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        no_choice = next(tracker.get_latest_entity_values("choice_id"), None) is None
        state = before.copy()
        text = typed_text(tracker)
        if intent == "start_over" and no_choice:
            return start_over(dispatcher, before)
        if before.pending_question and no_choice and asks_why(text):  # "pourquoi cette question ?"
            return self._explain(dispatcher, kb, state, domain)
        leaving = bool(LEAVING.search(text or ""))  # "on arrête", even when classified "dont_know"
        unsure = intent == "dont_know" and intent_confidence(tracker) >= SURE_REPAIR and not leaving
        unsure = unsure or bool(UNSURE.match(text or ""))
        if unsure and no_choice and before.pending_question:  # "je sais pas s'il était français"
            return self._repair(dispatcher, kb, before, state, "dont_know", domain)
        corrected = self._read_answers(kb, tracker, state)
        answered = state.answers != before.answers or state.skipped != before.skipped
        leaving = leaving and intent not in ("go_back", "start_over", "cancel")
        if not answered and no_choice and (intent in REPAIR_INTENTS or leaving):
            return self._repair(dispatcher, kb, before, state, "cancel" if leaving else str(intent), domain)
        route = route_message(tracker, kb, answered) if text else None
        digression = bool(before.pending_question) and not answered and no_choice
        digression = digression and not _adds_situation(route, state)
        if digression and answer_digression(dispatcher, tracker, kb, route, intent, domain):
            ask_again(dispatcher, kb, state, domain)
            return []
        idle = before.pending_question is None and no_choice and not answered
        if idle and route is not None and route.kind in ("question", "clarify"):
            return offer_choices(dispatcher, tracker, kb, route, domain)
        if idle and route is not None and route.kind == "definition":
            return define_answer(dispatcher, tracker, domain)
        unread = route is None or route.kind == "intent"
        if idle and unread and intent in ("affirm", "deny", "nlu_fallback"):
            if intent == "nlu_fallback":  # not an answer, and nothing the router could read
                return offer_choices(dispatcher, tracker, kb, Route("clarify"), domain)
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        if answered:  # "en fait on est propriétaires" corrects an answer; it is no new situation
            new = []
        elif route is not None:
            new = list(route.situations)
        else:  # a button: the situation it names
            new = [sid] if (sid := situation_from_intent(intent)) in kb.situations else []
        new = [sid for sid in new if sid not in state.situations]
        state.situations += new
        for sid in new:  # answers already given in the first message ("je suis propriétaire")
            for qid, cid in kb.match_answers(sid, text).items():
                state.answers.setdefault(qid, cid)
        event = extract_event_date(text, today()) if text else None
        state.event_date = event or state.event_date
        if not state.situations:
            dispatcher.utter_message(response="utter_default")
            return []
        understood = bool(new) or state.answers != before.answers or state.skipped != before.skipped
        for sid in new:
            self._empathy(dispatcher, sid, domain)
        for question, choice_id in corrected:
            dispatcher.utter_message(
                response="utter_answer_updated",
                answer_phrase=selected_phrase(question, choice_id, state.answers),
            )
        if not understood and before.pending_question:
            dispatcher.utter_message(response="utter_answer_not_understood")
        return self._next_step(dispatcher, kb, before, state, domain, recognised=new)

    def _repair(
        self,
        dispatcher: CollectingDispatcher,
        kb: KnowledgeBase,
        before: DialogueState,
        state: DialogueState,
        intent: str,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Skip, go back or cancel, typed instead of pressing a button."""
        if intent == "cancel":
            return cancel(dispatcher, before)
        if intent == "dont_know" and skip(state):
            dispatcher.utter_message(response="utter_question_skipped")
            return self._next_step(dispatcher, kb, before, state, domain)
        if intent == "go_back":
            if go_back(kb, state) is not None:
                dispatcher.utter_message(response="utter_going_back")
                return self._next_step(dispatcher, kb, before, state, domain, intro=False)
            dispatcher.utter_message(response="utter_nothing_to_change")
            if before.pending_question:
                ask_again(dispatcher, kb, state, domain)
            return []
        dispatcher.utter_message(response="utter_how_can_i_help")
        return []

    @staticmethod
    def _explain(
        dispatcher: CollectingDispatcher, kb: KnowledgeBase, state: DialogueState, domain: dict[str, Any]
    ) -> list[EventType]:
        """What the pending question changes, then the question again."""
        question = find_question(kb, state.situations, state.pending_question or "")
        if question is not None:
            dispatcher.utter_message(text=reason(kb, state, question, domain))
        ask_again(dispatcher, kb, state, domain)
        return []

    @staticmethod
    def _read_answers(kb: KnowledgeBase, tracker: Tracker, state: DialogueState) -> list[tuple[Any, str]]:
        """Apply a button's choice or typed answers; return the answers that were corrected."""
        updates: dict[str, str] = {}
        choice_id = next(tracker.get_latest_entity_values("choice_id"), None)
        if choice_id:
            question = question_of_choice(kb, state.situations, str(choice_id))
            if question is not None and str(choice_id).endswith((SKIP_SUFFIX, RESET_SUFFIX)):
                state.answers.pop(question.id, None)
                state.skipped = [q for q in state.skipped if q != question.id]
                if str(choice_id).endswith(SKIP_SUFFIX):
                    state.skipped.append(question.id)
            elif question is not None:
                updates[question.id] = str(choice_id)
        elif not asks_something(tracker):  # "ça veut dire quoi HLM ?" is no answer about HLM
            text = typed_text(tracker)
            if not text and tracker.get_intent_of_latest_message(skip_fallback_intent=False) in (
                "affirm",
                "deny",
            ):
                text = (
                    "oui"
                    if tracker.get_intent_of_latest_message(skip_fallback_intent=False) == "affirm"
                    else "non"
                )
            for sid in state.situations:
                pending = state.pending_question if (state.pending_question or "").startswith(sid) else None
                updates.update(kb.match_answers(sid, text, pending) if text else {})
        corrected = []
        for qid, cid in updates.items():
            if state.answers.get(qid) not in (None, cid):
                question = find_question(kb, state.situations, qid)
                if question is not None:
                    corrected.append((question, cid))
            state.answers[qid] = cid
            if qid in state.skipped:
                state.skipped.remove(qid)
        return corrected

    @staticmethod
    def _empathy(dispatcher: CollectingDispatcher, sid: str, domain: dict[str, Any]) -> None:
        """The empathy message of a sensitive situation; the situation itself is acknowledged in the
        bot's words with the next message (`acknowledgement`)."""
        if f"utter_empathy_{sid}" in domain.get("responses", {}):
            dispatcher.utter_message(response=f"utter_empathy_{sid}")

    @staticmethod
    def _next_step(
        dispatcher: CollectingDispatcher,
        kb: KnowledgeBase,
        before: DialogueState,
        state: DialogueState,
        domain: dict[str, Any],
        intro: bool = True,
        recognised: list[str] | None = None,
    ) -> list[EventType]:
        """The next open question, or the plan. A question comes in one message with what leads to
        it ("Je vais vous aider pour les démarches de votre déménagement. J'ai 4 questions à vous
        poser… <question>"); `recognised`, the ids of the situations just recognised."""
        plan = kb.plan(state.situations, state.answers, state.event_date, today())
        open_questions = [q for q in plan.open_questions if q.id not in state.skipped]
        summary = SlotSet("summary", context_summary(kb, state, open_questions))
        new = recognised or []
        if open_questions:
            lead = []
            if new:
                name, variables = acknowledgement(kb, domain, new)
                lead.append(response_text(domain, name).format(**variables))
            if before.pending_question is None and intro:
                counts = question_counts(kb, state.situations, state.answers, state.skipped)
                lead.append(announce(domain, counts))
            state.pending_question = open_questions[0].id
            ask(dispatcher, open_questions[0], domain, lead=" ".join(lead))
            extra: list[EventType] = [SlotSet("open_questions", [q.id for q in open_questions]), summary]
            return state.changes(before) + extra
        if new:
            name, variables = acknowledgement(kb, domain, new)
            dispatcher.utter_message(response=name, **variables)
        state.pending_question = None
        state.plan_page = 1
        events = state.changes(before) + [SlotSet("open_questions", []), summary]
        return events + show_plan(dispatcher, kb, state, 1, domain)


def acknowledgement(kb: KnowledgeBase, domain: dict[str, Any], sids: list[str]) -> tuple[str, dict[str, Any]]:
    """The new situations in the bot's words: a situation's own `utter_situation_<id>` response
    (else the generic one with the fiche's title); several at once, their titles quoted in one
    sentence. (response name, its variables)."""
    titles = [kb.situations[sid].title for sid in sids]
    if len(sids) > 1:
        return "utter_situations_recognised", {"count": len(sids), "situation_titles": quoted(domain, titles)}
    name = f"utter_situation_{sids[0]}"
    return (name if response_text(domain, name) else "utter_situation_recognised"), {
        "situation_title": titles[0]
    }


def _adds_situation(route: Route | None, state: DialogueState) -> bool:
    """The message names a situation not yet taken: it is added, not a digression."""
    return (
        route is not None
        and route.kind == "situations"
        and bool(set(route.situations) - set(state.situations))
    )
