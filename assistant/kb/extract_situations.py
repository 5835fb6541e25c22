"""Turn a "Comment faire si / pour" fiche into a :class:`Situation`.

The questionnaire becomes questions with stable ids (``F14128-q1``, ``F14128-q1-c2``);
the ``Texte`` and ``ListeSituations`` blocks become a content tree that keeps every
``Condition``, every link to another fiche and the timing phrase of each situation
tab, chapter and sub-chapter. Content elements the extractor does not know are an
error: the rules engine must not silently ignore structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from assistant.kb.conditions import parse_condition
from assistant.kb.errors import KnowledgeBaseError
from assistant.kb.models import Choice, ContentNode, Link, Question, Situation
from assistant.kb.nodes import Node, attr, child, child_text, children_named, elements, text_of
from assistant.kb.timing import normalise, timing_phrase

STRUCTURAL = {
    "Situation": "situation", "Chapitre": "chapter", "SousChapitre": "subchapter", "Cas": "case",
    "FragmentConditionne": "fragment", "Item": "item",
}  # fmt: skip
TIMED = frozenset({"situation", "chapter", "subchapter"})
NOTES = frozenset({"ANoter", "ASavoir", "Attention", "Rappel"})
CONTAINERS = frozenset(
    {"Texte", "ListeSituations", "BlocCas", "Liste", "Tableau", "Rangée", "Cellule", "Introduction",
     "ContenuIllustre", "Contenu", "Description"}
)  # fmt: skip
IGNORED = frozenset(
    {"Titre", "TitreAlternatif", "Condition", "Image", "Illustration", "Colonne", "Resume", "Source"}
)
GLOSSARY_LINKS = frozenset({"Sigle", "Acronyme", "Définition de glossaire"})


@dataclass
class TimingRecord:
    fiche: str
    title: str
    phrase: str
    normalised: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "fiche": self.fiche,
            "title": self.title,
            "phrase": self.phrase,
            "normalised": self.normalised,
        }


@dataclass
class _Extractor:
    fiche_id: str
    timings: list[TimingRecord] = field(default_factory=list)

    def error(self, message: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(f"Fiche {self.fiche_id} : {message}")

    def paragraph(self, node: Node) -> ContentNode | None:
        text = text_of(node)
        links = [
            Link(id=str(attr(item, "LienPublication")), text=text_of(item), type=attr(item, "type") or "")
            for item in _descendants(node, "LienInterne")
            if attr(item, "LienPublication") and (attr(item, "type") or "") not in GLOSSARY_LINKS
        ]
        if not text and not links:
            return None
        return ContentNode(kind="text", text=text, links=links)

    def convert(self, node: Node) -> list[ContentNode]:
        name = str(node.get("name"))
        if name in STRUCTURAL:
            return [self.structural(node, STRUCTURAL[name])]
        condition_node = child(node, "Condition")
        if condition_node is not None:
            condition = parse_condition(condition_node, self.fiche_id)
            inner = self.leaf(node, conditioned=True)
            return [ContentNode(kind="block", title=name, condition=condition, children=inner)]
        return self.leaf(node)

    def leaf(self, node: Node, conditioned: bool = False) -> list[ContentNode]:
        name = str(node.get("name"))
        if name == "Paragraphe":
            converted = self.paragraph(node)
            return [converted] if converted else []
        if name == "ServiceEnLigne":
            title = child_text(node, "Titre")
            ref = attr(node, "ID") or ""
            return [
                ContentNode(
                    kind="service", title=title, ref=ref, links=[Link(ref, title, attr(node, "type") or "")]
                )
            ]
        if name == "OuSAdresser":
            return [ContentNode(kind="contact", title=child_text(node, "Titre"), ref=attr(node, "ID"))]
        if name in IGNORED and not conditioned:
            return []
        if name in NOTES:
            label = child_text(node, "Titre")
            kids = [item for kid in elements(node) for item in self.convert(kid)]
            if label and kids and kids[0].kind == "text":
                kids[0] = replace(kids[0], text=f"{label} : {kids[0].text}")
            return kids
        if name in CONTAINERS or conditioned or name in STRUCTURAL:
            return [
                item for kid in elements(node) if kid.get("name") != "Condition" for item in self.convert(kid)
            ]
        raise self.error(f"élément de contenu inconnu <{name}>")

    def structural(self, node: Node, kind: str) -> ContentNode:
        title = text_of(child(node, "Titre")) or None
        condition_node = child(node, "Condition")
        condition = parse_condition(condition_node, self.fiche_id) if condition_node is not None else None
        timing = None
        if kind in TIMED and title:
            phrase = timing_phrase(title)
            if phrase:
                timing = normalise(phrase)
                record = timing.to_dict() if timing else None
                self.timings.append(TimingRecord(self.fiche_id, title, phrase, record))
        children = [
            item
            for kid in elements(node)
            if kid.get("name") not in ("Titre", "TitreAlternatif", "Condition")
            for item in self.convert(kid)
        ]
        return ContentNode(kind=kind, title=title, condition=condition, timing=timing, children=children)

    def questions(self, root: Node) -> list[Question]:
        questionnaire = child(root, "Questionnaire")
        if questionnaire is None:
            return []
        questions: list[Question] = []
        for q_index, question in enumerate(children_named(questionnaire, "Question"), 1):
            question_id = f"{self.fiche_id}-q{q_index}"
            choices: list[Choice] = []
            for c_index, choice in enumerate(children_named(question, "Choix"), 1):
                sets: dict[str, list[str]] = {"affecteVrai": [], "affecteFaux": []}
                selected = child(choice, "SiSelectionne")
                for effect in elements(selected) if selected is not None else []:
                    if effect.get("name") not in sets or not attr(effect, "var"):
                        raise self.error(f"effet de choix inconnu <{effect.get('name')}> dans {question_id}")
                    sets[str(effect["name"])].append(str(attr(effect, "var")))
                label = child_text(choice, "Titre")
                choices.append(
                    Choice(
                        id=f"{question_id}-c{c_index}",
                        label=label,
                        selected_phrase=child_text(choice, "IntituleSiSelectionne") or label,
                        sets_true=sets["affecteVrai"],
                        sets_false=sets["affecteFaux"],
                    )
                )
            text = child_text(question, "Titre")
            if not text or not choices:
                raise self.error(f"question {question_id} sans titre ou sans choix")
            help_text = child_text(question, "Aide") or None
            questions.append(Question(id=question_id, text=text, help=help_text, choices=choices))
        return questions


def _descendants(node: Node, name: str) -> list[Node]:
    found: list[Node] = []
    for kid in elements(node):
        if kid.get("name") == name:
            found.append(kid)
        found.extend(_descendants(kid, name))
    return found


def extract_situation(
    root: Node, fiche_id: str, audience: str, url: str, theme: str
) -> tuple[Situation, list[TimingRecord]]:
    """Build the situation of one fiche; also returns the timing phrases it met."""
    extractor = _Extractor(fiche_id)
    title = child_text(root, "dc:title")
    description = child_text(root, "dc:description")
    introduction = text_of(child(root, "Introduction")) or description
    content: list[ContentNode] = []
    for block in elements(root):
        if block.get("name") in ("Texte", "ListeSituations"):
            content.extend(extractor.convert(block))
    if not content:
        raise extractor.error("situation sans contenu (ni Texte ni ListeSituations)")
    situation = Situation(
        id=fiche_id,
        title=title,
        audience=audience,
        url=url,
        introduction=introduction,
        questions=extractor.questions(root),
        content=content,
        description=description,
        theme=theme,
    )
    return situation, extractor.timings
