"""The records of the knowledge base: plain frozen dataclasses, JSON round-trip.

``to_dict()`` gives exactly what the build writes; ``from_dict()`` reads it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.kb.conditions import Condition
from assistant.kb.timing import Deadline

ATTRIBUTION = (
    "Source : service-public.fr, Direction de l'information légale et administrative, Licence Ouverte 2.0"
)
LICENCE = "Licence Ouverte 2.0"


def fiche_sort_key(fiche_id: str) -> tuple[str, int, str]:
    """Natural order of fiche ids: ``F2`` < ``F10`` < ``N5`` < ``R1``."""
    digits = "".join(ch for ch in fiche_id if ch.isdigit())
    return (fiche_id[:1], int(digits or 0), fiche_id)


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    selected_phrase: str
    sets_true: list[str] = field(default_factory=list)
    sets_false: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "label": self.label, "selected_phrase": self.selected_phrase,
            "sets_true": list(self.sets_true), "sets_false": list(self.sets_false),
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Choice:
        return cls(
            id=str(data["id"]), label=str(data["label"]), selected_phrase=str(data["selected_phrase"]),
            sets_true=[str(v) for v in data.get("sets_true") or []],
            sets_false=[str(v) for v in data.get("sets_false") or []],
        )  # fmt: skip


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str | None
    choices: list[Choice]

    @property
    def variables(self) -> set[str]:
        """Every variable one of the choices sets."""
        return {var for choice in self.choices for var in (*choice.sets_true, *choice.sets_false)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "text": self.text, "help": self.help,
            "choices": [choice.to_dict() for choice in self.choices],
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Question:
        choices = [Choice.from_dict(item) for item in data.get("choices") or []]
        return cls(id=str(data["id"]), text=str(data["text"]), help=_opt(data.get("help")), choices=choices)


@dataclass(frozen=True)
class Link:
    """A link from situation content to a fiche of the catalogue."""

    id: str
    text: str
    type: str
    role: str = "demarche"  # or "reference" (assistant.kb.roles)
    requires: str | None = None  # a variable that must hold for the link to apply (assistant.kb.relations)

    def to_dict(self) -> dict[str, Any]:
        data = {"id": self.id, "text": self.text, "type": self.type, "role": self.role}
        if self.requires:
            data["requires"] = self.requires
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Link:
        return cls(
            id=str(data["id"]), text=str(data.get("text") or ""), type=str(data.get("type") or ""),
            role=str(data.get("role") or "demarche"), requires=_opt(data.get("requires")),
        )  # fmt: skip


@dataclass(frozen=True)
class ContentNode:
    """One node of a situation's content tree.

    ``kind`` is ``situation``, ``chapter``, ``subchapter``, ``case``, ``fragment``, ``item``,
    ``block`` (any other element carrying a condition), or a leaf: ``text`` (a paragraph,
    with its ``links``), ``service`` (an online service or form), ``contact`` (a place to
    go to; ``ref`` is its DILA id).
    """

    kind: str
    title: str | None = None
    text: str | None = None
    condition: Condition | None = None
    timing: Deadline | None = None
    links: list[Link] = field(default_factory=list)
    children: list[ContentNode] = field(default_factory=list)
    ref: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        for key, value in (("title", self.title), ("text", self.text), ("ref", self.ref)):
            if value is not None:
                data[key] = value
        if self.condition is not None:
            data["condition"] = self.condition.to_dict()
        if self.timing is not None:
            data["timing"] = self.timing.to_dict()
        if self.links:
            data["links"] = [link.to_dict() for link in self.links]
        if self.children:
            data["children"] = [kid.to_dict() for kid in self.children]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ContentNode:
        return cls(
            kind=str(data["kind"]), title=_opt(data.get("title")), text=_opt(data.get("text")),
            condition=Condition.from_dict(data["condition"]) if data.get("condition") else None,
            timing=Deadline.from_dict(data["timing"]) if data.get("timing") else None,
            links=[Link.from_dict(item) for item in data.get("links") or []],
            children=[cls.from_dict(item) for item in data.get("children") or []],
            ref=_opt(data.get("ref")),
        )  # fmt: skip


@dataclass(frozen=True)
class Situation:
    id: str
    title: str
    audience: str
    url: str
    introduction: str
    questions: list[Question]
    content: list[ContentNode] = field(default_factory=list)
    description: str = ""
    theme: str = ""
    fiche_timings: dict[str, Deadline] = field(default_factory=dict)  # linked fiche -> its own deadline

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "audience": self.audience, "url": self.url,
            "introduction": self.introduction, "description": self.description, "theme": self.theme,
            "questions": [question.to_dict() for question in self.questions],
            "content": [node.to_dict() for node in self.content],
            "fiche_timings": {key: value.to_dict() for key, value in self.fiche_timings.items()},
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Situation:
        return cls(
            id=str(data["id"]), title=str(data["title"]), audience=str(data["audience"]),
            url=str(data["url"]), introduction=str(data.get("introduction") or ""),
            questions=[Question.from_dict(item) for item in data.get("questions") or []],
            content=[ContentNode.from_dict(item) for item in data.get("content") or []],
            description=str(data.get("description") or ""), theme=str(data.get("theme") or ""),
            fiche_timings={
                str(key): Deadline.from_dict(value)
                for key, value in (data.get("fiche_timings") or {}).items()
            },
        )  # fmt: skip


@dataclass(frozen=True)
class CatalogueEntry:
    id: str
    title: str
    description: str
    audience: str
    kind: str
    theme: str
    url: str
    cerfa: list[str] = field(default_factory=list)
    organisation: str | None = None
    audiences: list[str] = field(default_factory=list)
    subject: str | None = None
    updated: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "description": self.description, "audience": self.audience,
            "kind": self.kind, "theme": self.theme, "url": self.url, "cerfa": list(self.cerfa),
            "organisation": self.organisation, "audiences": list(self.audiences), "subject": self.subject,
            "updated": self.updated,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CatalogueEntry:
        return cls(
            id=str(data["id"]), title=str(data["title"]), description=str(data.get("description") or ""),
            audience=str(data["audience"]), kind=str(data["kind"]), theme=str(data.get("theme") or ""),
            url=str(data["url"]), cerfa=[str(v) for v in data.get("cerfa") or []],
            organisation=_opt(data.get("organisation")),
            audiences=[str(v) for v in data.get("audiences") or [data["audience"]]],
            subject=_opt(data.get("subject")), updated=_opt(data.get("updated")),
        )  # fmt: skip


@dataclass(frozen=True)
class GlossaryEntry:
    """A term of the fiches' glossary (``Definition``) or an abbreviation (``Abreviation``)."""

    id: str
    term: str
    acronym: str | None
    explanation: str
    kind: str
    source_fiche: str
    source_fiches: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "term": self.term, "acronym": self.acronym, "explanation": self.explanation,
            "kind": self.kind, "source_fiche": self.source_fiche, "source_fiches": list(self.source_fiches),
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GlossaryEntry:
        return cls(
            id=str(data["id"]), term=str(data["term"]), acronym=_opt(data.get("acronym")),
            explanation=str(data["explanation"]), kind=str(data["kind"]),
            source_fiche=str(data["source_fiche"]),
            source_fiches=[str(v) for v in data.get("source_fiches") or []],
        )  # fmt: skip


@dataclass(frozen=True)
class Meta:
    package: str
    version: str
    attribution: str
    licence: str
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "package": self.package, "version": self.version, "attribution": self.attribution,
            "licence": self.licence, "counts": dict(self.counts),
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Meta:
        return cls(
            package=str(data["package"]), version=str(data["version"]), attribution=str(data["attribution"]),
            licence=str(data.get("licence") or LICENCE),
            counts={str(k): int(v) for k, v in (data.get("counts") or {}).items()},
        )  # fmt: skip
