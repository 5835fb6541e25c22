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
* Items are the linked fiches of the visible content, de-duplicated by fiche id. A link the
  fiche asks the person to act on is a démarche (``items``); a link in an explanation is a
  reference (``related``), unless it is written for this person's relation (``Link.requires``,
  e.g. the widow's pension for a spouse). A fiche that is a démarche anywhere is one.
* Each item's deadline is the most specific the fiches give: its own sentence ("dans les 8 jours
  qui suivent le changement de domicile"), else the linked fiche's statement for this event
  ("6 jours ouvrables au plus après le décès"), else its chapter's heading. Of several occurrences,
  the one whose heading agrees best with that deadline gives the item its chapter.
* Items are grouped by chapter, as the fiche groups them (:mod:`assistant.kb.plan_layout`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.kb.conditions import evaluate, pending_variables
from assistant.kb.errors import KnowledgeBaseError
from assistant.kb.models import CatalogueEntry, Choice, ContentNode, Link, Question, Situation
from assistant.kb.plan_layout import arrange, feminine_item
from assistant.kb.plan_model import Plan, PlanItem
from assistant.kb.relations import FEMININE
from assistant.kb.roles import DEMARCHE
from assistant.kb.text import first_sentence
from assistant.kb.timing import Deadline, urgency_key

TITLED = ("situation", "chapter", "subchapter", "case")
Signature = tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


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
    found: list[tuple[tuple[Any, ...], int, PlanItem]] = field(default_factory=list)
    sensitive: set[str] = field(default_factory=set)
    headings: dict[str, Deadline | None] = field(default_factory=dict)  # chapter -> its timing heading


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
        self, situation_ids: Sequence[str], answers: Mapping[str, str], event_date: date | None = None,
        today: date | None = None,
    ) -> Plan:  # fmt: skip
        unknown = [sid for sid in situation_ids if sid not in self.situations]
        if unknown:
            raise KnowledgeBaseError(f"Situation inconnue : {', '.join(unknown)}")
        chosen = self._choices(answers)
        ordered_ids = list(dict.fromkeys(situation_ids))
        best: dict[str, tuple[tuple[Any, ...], int, int, PlanItem]] = {}
        all_values: dict[str, bool] = {}
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
            all_values.update(values)
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
        chosen_items = [entry[3] for entry in sorted(best.values(), key=lambda entry: entry[1:3])]
        feminine = all_values.get(FEMININE) is True
        if feminine:
            chosen_items = [feminine_item(item) for item in chosen_items]
        demarches = [item for item in chosen_items if item.role == DEMARCHE]
        related = [item for item in chosen_items if item.role != DEMARCHE]
        return Plan(
            situation_ids=ordered_ids, items=arrange(demarches, event_date, today),
            open_questions=open_questions, event_date=event_date,
            related=arrange(related, event_date, today), feminine=feminine,
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
            if node.kind in ("chapter", "situation"):
                walk.headings[path[-1]] = node.timing
        heading = timing if node.kind in ("text", "service") else (node.timing or timing)
        if visible:
            for link in node.links:
                role = self._role(link, walk)
                if role is not None:
                    own = node.timing if node.kind in ("text", "service") else None
                    self._add(link.id, node, walk, path, (own, heading), role)
        for kid in node.children:
            self._visit(kid, walk, visible, path, heading)

    @staticmethod
    def _role(link: Link, walk: _Walk) -> str | None:
        """The link's role for this person; ``None`` when it is written for someone else (or it is
        not known yet, and the question that would tell is then worth asking)."""
        if not link.requires:
            return link.role
        holds = walk.values.get(link.requires)
        if holds is None and link.requires in walk.pending:
            walk.sensitive.add(link.requires)
        return DEMARCHE if holds else None

    def _add(
        self, fiche_id: str, node: ContentNode, walk: _Walk, path: list[str],
        timings: tuple[Deadline | None, Deadline | None], role: str,
    ) -> None:  # fmt: skip
        entry = self.catalogue.get(fiche_id)
        if entry is None or fiche_id == walk.situation.id:
            return
        walk.order += 1
        own, heading = timings
        timing = own or walk.situation.fiche_timings.get(fiche_id) or heading
        titles = [step.split(":", 1)[1] for step in path]
        chapters = [step for step in path if step.startswith(("chapter:", "situation:"))]
        item = PlanItem(
            fiche_id=fiche_id,
            title=entry.title,
            explanation=first_sentence(entry.description),
            chapter=chapters[-1].split(":", 1)[1] if chapters else None,
            timing=timing,
            url=entry.url,
            situation_id=walk.situation.id,
            kind=entry.kind,
            context=node.text or node.title or "",
            path=titles,
            role=role,
            group=chapters[-1].split(":", 1)[1] if chapters else None,
            group_timing=walk.headings.get(chapters[-1]) if chapters else None,
        )
        agreement = abs((heading.days or 0) - (timing.days or 0)) if heading and timing else 0
        walk.found.append(((role != DEMARCHE, agreement, urgency_key(timing)), walk.order, item))
