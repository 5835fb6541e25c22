"""Life situations: recognise them, ask only what changes the plan, then show the plan."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import previous_user_intents
from actions.kb import get_kb
from actions.plans import show_plan
from actions.questions import (
    RESET_SUFFIX,
    SKIP_SUFFIX,
    answer_payload,
    ask,
    find_question,
    question_of_choice,
    selected_phrase,
)
from actions.search import ActionDefine, fiche_cards
from actions.state import DialogueState, response_text, situation_from_intent, today, typed_text
from actions.understanding import route_message
from assistant.french.dates import extract_event_date
from assistant.kb import KnowledgeBase
from assistant.kb.models import Question
from assistant.understanding.router import Route


def context_summary(
    kb: KnowledgeBase, state: DialogueState, open_questions: list[Question]
) -> dict[str, Any]:
    """What an agent needs to read at a glance, kept in the `summary` slot."""
    answers = []
    for qid, cid in state.answers.items():
        question = find_question(kb, state.situations, qid)
        if question is not None:
            answers.append(
                {"question_id": qid, "question": question.text, "answer": selected_phrase(question, cid)}
            )
    return {
        "situations": [{"id": sid, "title": kb.situations[sid].title} for sid in state.situations],
        "answers": answers,
        "skipped_questions": list(state.skipped),
        "event_date": state.event_date.isoformat() if state.event_date else None,
        "open_questions": [{"id": q.id, "text": q.text} for q in open_questions],
    }


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
        corrected = self._read_answers(kb, tracker, state)
        answered = state.answers != before.answers or state.skipped != before.skipped
        route = route_message(tracker, kb, answered) if text else None
        idle = before.pending_question is None and no_choice and not answered
        if idle and route is not None and route.kind in ("question", "clarify"):
            return offer_choices(dispatcher, tracker, kb, route, domain)
        if idle and route is not None and route.kind == "definition":
            return ActionDefine().run(dispatcher, tracker, domain)
        unread = route is None or route.kind == "intent"
        if idle and unread and intent in ("affirm", "deny", "nlu_fallback"):
            if intent == "nlu_fallback":  # not an answer, and nothing the router could read
                return offer_choices(dispatcher, tracker, kb, Route("clarify"), domain)
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        if route is not None:
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
            self._acknowledge(dispatcher, kb, sid, domain)
        for question, choice_id in corrected:
            dispatcher.utter_message(
                response="utter_answer_updated", answer_phrase=selected_phrase(question, choice_id)
            )
        if not understood and before.pending_question:
            dispatcher.utter_message(response="utter_answer_not_understood")
        return self._next_step(dispatcher, kb, before, state, domain)

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
        else:
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
    def _acknowledge(
        dispatcher: CollectingDispatcher, kb: KnowledgeBase, sid: str, domain: dict[str, Any]
    ) -> None:
        if f"utter_empathy_{sid}" in domain.get("responses", {}):
            dispatcher.utter_message(response=f"utter_empathy_{sid}")
        situation = kb.situations[sid]
        dispatcher.utter_message(response="utter_situation_recognised", situation_title=situation.title)

    @staticmethod
    def _next_step(
        dispatcher: CollectingDispatcher,
        kb: KnowledgeBase,
        before: DialogueState,
        state: DialogueState,
        domain: dict[str, Any],
    ) -> list[EventType]:
        plan = kb.plan(state.situations, state.answers, state.event_date)
        open_questions = [q for q in plan.open_questions if q.id not in state.skipped]
        summary = SlotSet("summary", context_summary(kb, state, open_questions))
        if open_questions:
            if before.pending_question is None:
                dispatcher.utter_message(response="utter_question_intro", count=len(open_questions))
            state.pending_question = open_questions[0].id
            ask(dispatcher, open_questions[0], domain)
            extra: list[EventType] = [SlotSet("open_questions", [q.id for q in open_questions]), summary]
            return state.changes(before) + extra
        state.pending_question = None
        state.plan_page = 1
        events = state.changes(before) + [SlotSet("open_questions", []), summary]
        return events + show_plan(dispatcher, kb, state, 1, domain)


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
