"""How many questions the person will be asked, so that the announced count is the true one.

An answer can make a later question useless (after a death, some answers leave one of the
later questions with nothing to change), so the number asked depends on the answers. The count is
worked out by playing every sequence of answers (each choice, and "Je ne sais pas") through the
rules engine, in the order the questions are asked. Situations that share no question are
independent: their counts add up. The search stops after `BUDGET` plans; the count is then
unknown and the bot announces no number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from actions.state import response_text
from assistant.kb import KnowledgeBase
from assistant.kb.models import Question
from assistant.kb.rules import signature

BUDGET = 1500  # plans worked out per group of situations at most (about a second)


class _OverBudget(Exception):
    pass


@dataclass
class _Search:
    kb: KnowledgeBase
    situations: list[str]
    left: int = field(default_factory=lambda: BUDGET)  # read when the search starts

    def __post_init__(self) -> None:
        self.signatures = {
            q.id: signature(q) for sid in self.situations for q in self.kb.situations[sid].questions
        }

    def counts(
        self, answers: dict[str, str], skipped: frozenset[str], memo: dict[Any, frozenset[int]]
    ) -> frozenset[int]:
        self.left -= 1
        if self.left < 0:
            raise _OverBudget
        plan = self.kb.plan(self.situations, answers)
        pending = [q for q in plan.open_questions if q.id not in skipped]
        key = self._key(pending, answers, skipped)
        if key in memo:
            return memo[key]
        found: set[int] = set()
        if not pending:
            found.add(0)
        else:
            question = pending[0]
            for choice in question.choices:
                found |= {1 + n for n in self.counts({**answers, question.id: choice.id}, skipped, memo)}
            found |= {1 + n for n in self.counts(answers, skipped | {question.id}, memo)}
        memo[key] = frozenset(found)
        return memo[key]

    def _key(self, pending: list[Question], answers: dict[str, str], skipped: frozenset[str]) -> Any:
        """What the rest of the questions depends on. A situation with no open question left asks
        none again (its remaining variables change no linked content), so only the answers of the
        situations still asking, and of the questions equivalent to theirs, are kept."""
        active = {_situation(q.id) for q in pending}
        shared = {sig for qid, sig in self.signatures.items() if _situation(qid) in active}
        kept = frozenset(
            (qid, cid)
            for qid, cid in answers.items()
            if _situation(qid) in active or self.signatures.get(qid) in shared
        )
        return frozenset(active), kept, frozenset(q for q in skipped if _situation(q) in active)


def _situation(question_id: str) -> str:
    return question_id.split("-", 1)[0]


def _groups(kb: KnowledgeBase, situations: list[str]) -> list[list[str]]:
    """Situations linked by an equivalent question (same choices, same effects) are counted together."""
    groups: list[tuple[set[Any], list[str]]] = []
    for sid in situations:
        signatures = {signature(q) for q in kb.situations[sid].questions}
        linked = [g for g in groups if g[0] & signatures]
        merged = (signatures.union(*(g[0] for g in linked)), [s for g in linked for s in g[1]] + [sid])
        groups = [g for g in groups if g not in linked] + [merged]
    return [sids for _, sids in groups]


def question_counts(
    kb: KnowledgeBase, situations: list[str], answers: dict[str, str], skipped: list[str]
) -> frozenset[int] | None:
    """Every number of questions the person may be asked from now on; None when too long to tell."""
    total = frozenset({0})
    try:
        for group in _groups(kb, situations):
            search = _Search(kb, group)
            mine = {qid: cid for qid, cid in answers.items() if qid.split("-", 1)[0] in group}
            found = search.counts(mine, frozenset(skipped), {})
            total = frozenset(a + b for a in total for b in found)
    except _OverBudget:
        return None
    return total


def announce(domain: dict[str, Any], counts: frozenset[int] | None) -> str:
    """ "J'ai 3 questions à vous poser…", "J'ai 3 ou 4 questions…", or no number when unknown."""
    if not counts:
        return response_text(domain, "utter_question_intro_some")
    low, high = min(counts), max(counts)
    if low == high:
        name = "utter_question_intro_one" if low == 1 else "utter_question_intro"
        return response_text(domain, name).format(count=low)
    name = "utter_question_intro_range" if high == low + 1 else "utter_question_intro_between"
    return response_text(domain, name).format(low=low, high=high)
