"""A personal plan: its démarches (``items``) and references (``related``), each dated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.kb.models import Question
from assistant.kb.roles import DEMARCHE
from assistant.kb.timing import Deadline


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
    role: str = DEMARCHE
    group: str | None = None
    group_timing: Deadline | None = None  # the timing heading of the item's chapter, if it has one
    overdue: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "fiche_id": self.fiche_id, "title": self.title, "explanation": self.explanation,
            "chapter": self.chapter, "timing": self.timing.to_dict() if self.timing else None,
            "url": self.url, "situation_id": self.situation_id, "kind": self.kind, "context": self.context,
            "path": list(self.path), "due_date": self.due_date.isoformat() if self.due_date else None,
            "due_label": self.due_label, "role": self.role, "group": self.group, "overdue": self.overdue,
        }  # fmt: skip


@dataclass(frozen=True)
class Plan:
    situation_ids: list[str]
    items: list[PlanItem]
    open_questions: list[Question]
    event_date: date | None = None
    related: list[PlanItem] = field(default_factory=list)
    feminine: bool = False  # the deceased is a woman: labels follow ("La défunte était retraitée")

    def to_dict(self) -> dict[str, Any]:
        return {
            "situation_ids": list(self.situation_ids),
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "items": [item.to_dict() for item in self.items],
            "related": [item.to_dict() for item in self.related],
            "open_questions": [question.to_dict() for question in self.open_questions],
        }
