"""Asking the fiches' own questions, one at a time, with their choices as buttons."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.state import response_text
from assistant.kb import KnowledgeBase
from assistant.kb.models import Question
from assistant.kb.relations import feminine, says_feminine

SKIP_SUFFIX = "-skip"  # "Je ne sais pas": the question is not asked again
RESET_SUFFIX = "-reset"  # "change this answer": the question is asked again


def answer_payload(choice_id: str) -> str:
    return "/answer" + json.dumps({"choice_id": choice_id}, separators=(",", ":"))


def find_question(kb: KnowledgeBase, situations: list[str], question_id: str) -> Question | None:
    for sid in situations:
        situation = kb.situations.get(sid)
        for question in situation.questions if situation else ():
            if question.id == question_id:
                return question
    return None


def question_of_choice(kb: KnowledgeBase, situations: list[str], choice_id: str) -> Question | None:
    """The question a button's choice id belongs to (`F14128-q1-c2`, `-skip`, `-reset`)."""
    question_id = choice_id.removesuffix(SKIP_SUFFIX).removesuffix(RESET_SUFFIX).rsplit("-c", 1)[0]
    question = find_question(kb, situations, question_id)
    if question is None:
        return None
    valid = {c.id for c in question.choices} | {question.id + SKIP_SUFFIX, question.id + RESET_SUFFIX}
    return question if choice_id in valid else None


def wording(domain: dict[str, Any], question: Question) -> str:
    """The question as the bot asks it: its `utter_question_<id>` response ("Où le décès a-t-il eu
    lieu ?"), else the fiche's label with its help in brackets."""
    text = response_text(domain, "utter_question_" + question.id.replace("-", "_"))
    if text:
        return text
    return question.text if not question.help else f"{question.text} ({question.help})"


def ask(dispatcher: CollectingDispatcher, question: Question, domain: dict[str, Any], lead: str = "") -> None:
    """The question with its choices as buttons; `lead` (what leads to it) in the same message."""
    text = wording(domain, question)
    text = f"{lead}\n\n{text}" if lead else text
    buttons = [{"title": c.label, "payload": answer_payload(c.id)} for c in question.choices]
    dont_know = response_text(domain, "utter_dont_know")
    if dont_know:
        buttons.append({"title": dont_know, "payload": answer_payload(question.id + SKIP_SUFFIX)})
    dispatcher.utter_message(response="utter_ask_question", question_text=text, buttons=buttons)


def selected_phrase(question: Question, choice_id: str, answers: dict[str, str] | None = None) -> str:
    """The choice in words ("Le défunt était retraité"), in the feminine when the answers say the
    deceased was a woman ("La défunte était retraitée")."""
    choice = next((c for c in question.choices if c.id == choice_id), None)
    if choice is None:
        return ""
    return feminine(choice.selected_phrase) if says_feminine(answers or {}) else choice.selected_phrase
