"""The build's second look at a situation: démarches or references, for whom, and by when.

After :mod:`assistant.kb.extract_situations` has turned a fiche into a content tree, this pass
* gives each link its role (:mod:`assistant.kb.roles`) and, for content written for one relation
  ("votre époux(se)"), the variable that must hold (:mod:`assistant.kb.relations`);
* dates each paragraph whose own words give a deadline relative to the situation's event ("6 jours
  ouvrables au plus après le décès"), more specific than its chapter's heading;
* records, for each démarche, the deadline its linked fiche gives for that event
  (``fiche_timings``), read from the fiche's description and paragraphs;
* adds the knowledge base's own questions (who the deceased was to the person).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from assistant.kb.events import event_words
from assistant.kb.models import CatalogueEntry, ContentNode, Situation
from assistant.kb.nodes import Node, child_text, text_of, walk
from assistant.kb.relations import added_questions, requirement
from assistant.kb.roles import DEMARCHE, link_role
from assistant.kb.sentence_timing import first_deadline, opening_deadline, sentence_deadline
from assistant.kb.timing import Deadline

_TIMED_WORDS = re.compile(r"\d|\b(?:jours?|mois|heures?|semaines?)\b", re.IGNORECASE)


def dated_texts(root: Node) -> list[str]:
    """The description and the paragraphs of a fiche that may state a delay, in reading order."""
    texts = [child_text(root, "dc:description")]
    texts += [text_of(node) for node in walk(root) if node.get("name") == "Paragraphe"]
    return [text for text in texts if text and _TIMED_WORDS.search(text)]


def _annotate_children(
    situation_id: str,
    nodes: Sequence[ContentNode],
    catalogue: Mapping[str, CatalogueEntry],
    lead: str | None,
    transparent: bool = False,
    section: Deadline | None = None,
) -> list[ContentNode]:
    """``lead``: the sentence introducing the list these nodes are in; ``transparent`` for the inside
    of a list item or a conditioned block, which keeps the lead of its parent; ``section``: the timing
    of a paragraph that opens the section ("Avant mon départ, …") and dates the links after it."""
    events = event_words(situation_id)
    result: list[ContentNode] = []
    current_lead = lead if transparent else None
    for node in nodes:
        if node.kind == "service" and section is not None:
            result.append(replace(node, timing=node.timing or section))
            continue
        if node.kind == "text" and (opening := opening_deadline(node.text or "", events)) is not None:
            section = opening  # "Avant mon départ, j'accomplis les démarches suivantes :" dates what follows
        if node.kind == "text":
            text = node.text or ""
            links = [
                replace(
                    link,
                    role=link_role(text, lead),
                    requires=requirement(
                        situation_id,
                        text,
                        lead or "",
                        catalogue[link.id].title if link.id in catalogue else "",
                    ),
                )
                for link in node.links
            ]
            timing = None
            if node.links:  # its own words, else its list's lead ("Avant mon départ, je fais … :")
                timing = sentence_deadline(text, events) or (
                    sentence_deadline(lead, events) if lead else None
                )
                timing = timing or section
            result.append(replace(node, links=links, timing=timing or node.timing))
            current_lead = text if text.rstrip().endswith(":") else current_lead
            continue
        inside = node.kind in ("item", "block", "fragment")
        kids = _annotate_children(
            situation_id,
            node.children,
            catalogue,
            current_lead if inside else None,
            transparent=inside,
            section=section,
        )
        result.append(replace(node, children=kids))
        if not inside:
            current_lead = None
    return result


def annotate(
    situation: Situation, catalogue: Mapping[str, CatalogueEntry], fiche_texts: Mapping[str, list[str]]
) -> Situation:
    """The situation with roles, requirements, sentence deadlines, fiche deadlines and added questions."""
    content = _annotate_children(situation.id, situation.content, catalogue, None)
    events = event_words(situation.id)
    timings: dict[str, Deadline] = {}
    stack = list(content)
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        for link in node.links:
            if link.role == DEMARCHE and link.id not in timings and link.id in fiche_texts:
                found = first_deadline(fiche_texts[link.id], events)
                # only a delay *after* the event: a linked fiche's "10 jours avant la signature" is the
                # notary's duty, not the person's
                if found is not None and found.kind == "after":
                    timings[link.id] = found
    return replace(
        situation,
        content=content,
        questions=[*added_questions(situation.id), *situation.questions],
        fiche_timings=dict(sorted(timings.items())),
    )
