""" "Pourquoi cette question ?": the reason for the pending question, from the fiche's rules.

The reason is what the answer changes: for each choice, the démarches the plan gains with it
(the plan with that answer, against the démarches every answer keeps). When no single answer
changes the plan yet (the answer counts only with another one still to come), the démarches
whose conditions test the question's variables are given as examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from actions.state import DialogueState, quoted, response_text
from assistant.kb import ContentNode, KnowledgeBase, Question
from assistant.kb.conditions import evaluate

# A question about the question: "pourquoi vous demandez ma nationalité ?", "pourquoi cette
# question ?", "ça change quoi ?", "à quoi ça sert ?". "Pourquoi faut-il déclarer le décès ?"
# is a question about a démarche, not about the question: it needs one of these words.
_WHY = re.compile(
    r"^\W*(mais\s+|et\s+)?pourquoi(\s+(ça|ca|cela|donc))?\W*$"
    r"|pourquoi\b.{0,40}\b(demand\w*|question\w*|savoir|besoin|utile|important|conna[iî]tre)\b"
    r"|\b(ça|ca|cela)\s+(change|changera|sert|servira)\s+(quoi|à quoi|a quoi|quelque chose)"
    r"|\b(à|a)\s+quoi\s+(ça|ca|cela)\s+(sert|servira|vous sert)"
    r"|\bqu'?est[- ]ce\s+que\s+(ça|ca|cela)\s+change"
    r"|\bpour\s+quoi\s+faire\b",
    re.IGNORECASE,
)
SHOWN = 2  # démarches named per answer


def asks_why(text: str) -> bool:
    return bool(_WHY.search(text))


def _titles(kb: KnowledgeBase, fiche_ids: list[str], domain: dict[str, Any]) -> str:
    """ "« Carte d'identité », « Passeport » et 3 autres démarches"."""
    if len(fiche_ids) <= SHOWN + 1:  # never "et 1 autres démarches"
        return quoted(domain, [kb.catalogue[fid].title for fid in fiche_ids])
    titles = [kb.catalogue[fid].title for fid in fiche_ids[:SHOWN]]
    each = response_text(domain, "utter_quoted_title")
    listed = ", ".join(each.format(title=title) for title in titles)
    return response_text(domain, "utter_why_more").format(titles=listed, count=len(fiche_ids) - SHOWN)


@dataclass
class _Rules:
    """The answers given so far as the fiche's variables, and the variables still to be set."""

    values: dict[str, bool]
    pending: frozenset[str]
    asked: set[str]  # the pending question's variables

    def linked(self, node: ContentNode, inside: bool, found: list[str]) -> None:
        """The fiches under content whose condition tests the question's variables, leaving out
        content the answers given so far exclude."""
        if node.condition is not None:
            if evaluate(node.condition, self.values, self.pending) is False:
                return
            inside = inside or bool(node.condition.variables() & self.asked)
        if inside:
            found += [link.id for link in node.links if link.id not in found]
        for kid in node.children:
            self.linked(kid, inside, found)


def _examples(kb: KnowledgeBase, state: DialogueState, question: Question) -> list[str]:
    sid = question.id.split("-", 1)[0]
    situation = kb.situations.get(sid)
    if situation is None:
        return []
    values: dict[str, bool] = {}
    unanswered: set[str] = set()
    for other in situation.questions:
        choice = next((c for c in other.choices if c.id == state.answers.get(other.id)), None)
        if choice is None:
            unanswered |= other.variables
            continue
        values.update({var: True for var in choice.sets_true})
        values.update({var: False for var in choice.sets_false})
    rules = _Rules(values, frozenset(unanswered - set(values)), question.variables)
    found: list[str] = []
    for node in situation.content:
        rules.linked(node, False, found)
    return [fid for fid in found if fid in kb.catalogue and fid != sid]


def reason(kb: KnowledgeBase, state: DialogueState, question: Question, domain: dict[str, Any]) -> str:
    """Why `question` is asked, in the bot's words."""
    plans = {
        choice.label: [
            item.fiche_id
            for item in kb.plan(state.situations, {**state.answers, question.id: choice.id}).items
        ]
        for choice in question.choices
    }
    kept = set.intersection(*(set(ids) for ids in plans.values())) if plans else set()
    line = response_text(domain, "utter_why_choice")
    lines = [
        line.format(choice=label, demarches=_titles(kb, gained, domain))
        for label, ids in plans.items()
        if (gained := [fid for fid in ids if fid not in kept])
    ]
    if lines:
        return response_text(domain, "utter_why_question").format(reasons="\n".join(lines))
    found = _examples(kb, state, question)
    if found:
        return response_text(domain, "utter_why_examples").format(demarches=_titles(kb, found, domain))
    return response_text(domain, "utter_why_general")
