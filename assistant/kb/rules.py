"""The rules engine: from situations and answers to a personal, dated plan.

* Each situation is evaluated with its own variables: the answers to its questions,
  plus the answers to *equivalent* questions of other situations (same choices with the
  same effects, e.g. "Avez-vous des enfants à charge ?" in "Je déménage" and "Je me
  sépare"). Variables are never shared otherwise: ``T10280`` ("locataire") means the
  user in "Je déménage" but the deceased in "Décès d'un proche".
* Conditions use the three-valued logic of :mod:`assistant.kb.conditions`: content whose
  condition is unknown (it depends on an unanswered question) is **not** in the plan,
  and that question is reported as open — but only if the content it would reveal or
  hide links to at least one fiche, i.e. if answering would change the plan.
* Items are the linked fiches of the visible content, de-duplicated by fiche id (the
  most urgent occurrence wins), sorted by urgency then by their order in the fiches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.kb.conditions import evaluate, pending_variables
from assistant.kb.errors import KnowledgeBaseError
from assistant.kb.models import CatalogueEntry, Choice, ContentNode, Question, Situation
from assistant.kb.text import first_sentence
from assistant.kb.timing import Deadline, describe, due_date, urgency_key

TITLED = ("situation", "chapter", "subchapter", "case")
Signature = tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


@dataclass(frozen=True)
class PlanItem:
    fiche_id: str
    title: str
    explanation: str
    chapter: str | None
    timing: Deadline | None
    url: str
    situation_id: str
    kind: str
    context: str = ""
    path: list[str] = field(default_factory=list)
    due_date: date | None = None
    due_label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "fiche_id": self.fiche_id, "title": self.title, "explanation": self.explanation,
            "chapter": self.chapter, "timing": self.timing.to_dict() if self.timing else None,
            "url": self.url, "situation_id": self.situation_id, "kind": self.kind, "context": self.context,
            "path": list(self.path), "due_date": self.due_date.isoformat() if self.due_date else None,
            "due_label": self.due_label,
        }  # fmt: skip


@dataclass(frozen=True)
class Plan:
    situation_ids: list[str]
    items: list[PlanItem]
    open_questions: list[Question]
    event_date: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "situation_ids": list(self.situation_ids),
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "items": [item.to_dict() for item in self.items],
            "open_questions": [question.to_dict() for question in self.open_questions],
        }


def _effects(choice: Choice) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(sorted(choice.sets_true)), tuple(sorted(choice.sets_false))


def signature(question: Question) -> Signature:
    """What a question does, independent of its wording: the effects of its choices."""
    return tuple(sorted(_effects(choice) for choice in question.choices))


@dataclass
class _Walk:
    situation: Situation
    values: Mapping[str, bool]
    pending: frozenset[str]
    order: int = 0
    found: list[tuple[tuple[int, int, int], int, PlanItem]] = field(default_factory=list)
    sensitive: set[str] = field(default_factory=set)


class RulesEngine:
    """Read-only once built; safe to share between threads."""

    def __init__(self, situations: Mapping[str, Situation], catalogue: Mapping[str, CatalogueEntry]) -> None:
        self.situations = situations
        self.catalogue = catalogue
        self.questions: dict[str, tuple[Situation, Question]] = {
            q.id: (s, q) for s in situations.values() for q in s.questions
        }
        self._has_links: dict[int, bool] = {}
        for situation in situations.values():
            for node in situation.content:
                self._index_links(node, situation.id)

    def _index_links(self, node: ContentNode, situation_id: str) -> bool:
        own = any(link.id in self.catalogue and link.id != situation_id for link in node.links)
        kids = [self._index_links(kid, situation_id) for kid in node.children]
        self._has_links[id(node)] = own or any(kids)
        return self._has_links[id(node)]

    def _choices(self, answers: Mapping[str, str]) -> dict[str, tuple[Question, int]]:
        """Validate the answers: question id -> (question, index of the chosen choice)."""
        chosen: dict[str, tuple[Question, int]] = {}
        for question_id, choice_id in answers.items():
            if question_id not in self.questions:
                raise KnowledgeBaseError(f"Question inconnue : {question_id}")
            question = self.questions[question_id][1]
            index = next((i for i, c in enumerate(question.choices) if c.id == choice_id), None)
            if index is None:
                raise KnowledgeBaseError(f"Choix inconnu pour {question_id} : {choice_id}")
            chosen[question_id] = (question, index)
        return chosen

    def _effective(self, question: Question, chosen: Mapping[str, tuple[Question, int]]) -> int | None:
        """The choice made for ``question``, directly or through an equivalent question."""
        if question.id in chosen:
            return chosen[question.id][1]
        wanted = signature(question)
        for other, index in sorted(chosen.values(), key=lambda item: item[0].id):
            if signature(other) == wanted:
                effects = _effects(other.choices[index])
                return next(i for i, choice in enumerate(question.choices) if _effects(choice) == effects)
        return None

    def plan(
        self, situation_ids: Sequence[str], answers: Mapping[str, str], event_date: date | None = None
    ) -> Plan:
        unknown = [sid for sid in situation_ids if sid not in self.situations]
        if unknown:
            raise KnowledgeBaseError(f"Situation inconnue : {', '.join(unknown)}")
        chosen = self._choices(answers)
        ordered_ids = list(dict.fromkeys(situation_ids))
        best: dict[str, tuple[tuple[int, int, int], int, int, PlanItem]] = {}
        open_questions: list[Question] = []
        open_signatures: set[Signature] = set()
        for rank, situation_id in enumerate(ordered_ids):
            situation = self.situations[situation_id]
            values: dict[str, bool] = {}
            unanswered: list[Question] = []
            for question in situation.questions:
                index = self._effective(question, chosen)
                if index is None:
                    unanswered.append(question)
                    continue
                values.update({var: True for var in question.choices[index].sets_true})
                values.update({var: False for var in question.choices[index].sets_false})
            pending = frozenset(var for q in unanswered for var in q.variables if var not in values)
            walk = _Walk(situation, values, pending)
            for node in situation.content:
                self._visit(node, walk, visible=True, path=[], timing=None)
            for key, order, item in walk.found:
                current = best.get(item.fiche_id)
                if current is None or (key, rank, order) < current[:3]:
                    best[item.fiche_id] = (key, rank, order, item)
            for question in unanswered:
                if question.variables & walk.sensitive and signature(question) not in open_signatures:
                    open_signatures.add(signature(question))
                    open_questions.append(question)
        items = [entry[3] for entry in sorted(best.values(), key=lambda entry: entry[:3])]
        if event_date is not None:
            items = [self._dated(item, event_date) for item in items]
        return Plan(
            situation_ids=ordered_ids, items=items, open_questions=open_questions, event_date=event_date
        )

    @staticmethod
    def _dated(item: PlanItem, event_date: date) -> PlanItem:
        if item.timing is None:
            return item
        return PlanItem(
            **{**item.__dict__, "due_date": due_date(item.timing, event_date),
               "due_label": describe(item.timing, event_date)}
        )  # fmt: skip

    def _visit(
        self, node: ContentNode, walk: _Walk, visible: bool, path: list[str], timing: Deadline | None
    ) -> None:
        if node.condition is not None:
            verdict = evaluate(node.condition, walk.values, walk.pending)
            if verdict is False:
                return
            if self._has_links.get(id(node)):
                walk.sensitive |= pending_variables(node.condition, walk.values, walk.pending)
            visible = visible and verdict is True
        if node.kind in TITLED and node.title:
            path = [*path, f"{node.kind}:{node.title}"]
        timing = node.timing or timing
        if visible:
            for link in node.links:
                self._add(link.id, node, walk, path, timing)
        for kid in node.children:
            self._visit(kid, walk, visible, path, timing)

    def _add(
        self, fiche_id: str, node: ContentNode, walk: _Walk, path: list[str], timing: Deadline | None
    ) -> None:
        entry = self.catalogue.get(fiche_id)
        if entry is None or fiche_id == walk.situation.id:
            return
        walk.order += 1
        titles = [step.split(":", 1)[1] for step in path]
        chapters = [step.split(":", 1)[1] for step in path if step.startswith(("chapter:", "situation:"))]
        item = PlanItem(
            fiche_id=fiche_id,
            title=entry.title,
            explanation=first_sentence(entry.description),
            chapter=chapters[-1] if chapters else None,
            timing=timing,
            url=entry.url,
            situation_id=walk.situation.id,
            kind=entry.kind,
            context=node.text or node.title or "",
            path=titles,
        )
        walk.found.append((urgency_key(timing), walk.order, item))
