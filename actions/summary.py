"""The `summary` slot: what an agent reads at a glance, in the person's answers' own words."""

from __future__ import annotations

from typing import Any

from actions.questions import find_question, selected_phrase
from actions.state import DialogueState
from assistant.kb import KnowledgeBase
from assistant.kb.models import Question


def context_summary(
    kb: KnowledgeBase, state: DialogueState, open_questions: list[Question]
) -> dict[str, Any]:
    """What an agent needs to read at a glance, kept in the `summary` slot."""
    answers = []
    for qid, cid in state.answers.items():
        question = find_question(kb, state.situations, qid)
        if question is not None:
            answers.append(
                {
                    "question_id": qid,
                    "question": question.text,
                    "choice_id": cid,
                    "answer": selected_phrase(question, cid, state.answers),
                }
            )
    return {
        "situations": [{"id": sid, "title": kb.situations[sid].title} for sid in state.situations],
        "answers": answers,
        "skipped_questions": list(state.skipped),
        "event_date": state.event_date.isoformat() if state.event_date else None,
        "open_questions": [{"id": q.id, "text": q.text} for q in open_questions],
    }
