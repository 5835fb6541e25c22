"""The ``Condition`` blocks of the fiches: parsing and three-valued evaluation.

Grammar (DILA schema 3.3): a ``Condition`` holds one expression (several are read as
``et``); an expression is ``estVrai var=``, ``estFaux var=``, ``estIndefini var=``,
``ou``/``et`` over expressions, or ``non`` over one expression.

Evaluation uses Kleene's three-valued logic. A variable is in one of three states:

* assigned: an answer set it true or false;
* pending: no answer set it yet, but an unanswered question of the situations in play
  could; ``estVrai``/``estFaux`` are then *unknown*, so the content is **not shown**
  and the question is reported as open;
* unreachable: no question in play can ever set it (the fiches reuse variables of other
  questionnaires); it is read as false (closed world), so ``estVrai`` is false and
  ``estFaux`` true.

``estIndefini`` is true while a variable has no value (pending or unreachable) and false
once an answer set it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assistant.kb.errors import KnowledgeBaseError
from assistant.kb.nodes import Node, attr, elements

LEAVES = ("estVrai", "estFaux", "estIndefini")
BRANCHES = ("ou", "et")
OPERATORS = frozenset((*LEAVES, *BRANCHES, "non"))


@dataclass(frozen=True)
class Condition:
    """One expression: a test on a variable (``var``) or an operator over ``args``."""

    op: str
    var: str | None = None
    args: tuple[Condition, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        if self.op in LEAVES:
            return {"op": self.op, "var": self.var}
        return {"op": self.op, "args": [arg.to_dict() for arg in self.args]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Condition:
        op = str(data.get("op"))
        if op not in OPERATORS:
            raise KnowledgeBaseError(f"Condition inconnue dans la base : {op!r}")
        if op in LEAVES:
            return cls(op=op, var=str(data["var"]))
        return cls(op=op, args=tuple(cls.from_dict(arg) for arg in data.get("args") or []))

    def variables(self) -> set[str]:
        if self.var is not None:
            return {self.var}
        found: set[str] = set()
        for arg in self.args:
            found |= arg.variables()
        return found


def _parse_expression(node: Node, fiche_id: str) -> Condition:
    name = str(node.get("name"))
    if name not in OPERATORS:
        raise KnowledgeBaseError(f"Fiche {fiche_id} : élément de condition inconnu <{name}>")
    if name in LEAVES:
        var = attr(node, "var")
        if not var:
            raise KnowledgeBaseError(f"Fiche {fiche_id} : <{name}> sans attribut var")
        return Condition(op=name, var=var)
    args = tuple(_parse_expression(kid, fiche_id) for kid in elements(node))
    if not args or (name == "non" and len(args) != 1):
        raise KnowledgeBaseError(f"Fiche {fiche_id} : <{name}> avec {len(args)} opérande(s)")
    return Condition(op=name, args=args)


def parse_condition(node: Node, fiche_id: str) -> Condition:
    """Parse a ``Condition`` element; several expressions inside are combined with ``et``."""
    expressions = [_parse_expression(kid, fiche_id) for kid in elements(node)]
    if not expressions:
        raise KnowledgeBaseError(f"Fiche {fiche_id} : <Condition> vide")
    return expressions[0] if len(expressions) == 1 else Condition(op="et", args=tuple(expressions))


def evaluate(condition: Condition, values: Mapping[str, bool], pending: frozenset[str]) -> bool | None:
    """Evaluate ``condition``: ``True``, ``False`` or ``None`` for unknown."""
    op = condition.op
    if op in LEAVES:
        var = str(condition.var)
        if var in values:
            assigned = values[var]
            return {"estVrai": assigned, "estFaux": not assigned, "estIndefini": False}[op]
        if op == "estIndefini":
            return True
        if var in pending:
            return None
        return op == "estFaux"
    results = [evaluate(arg, values, pending) for arg in condition.args]
    if op == "non":
        return None if results[0] is None else not results[0]
    if op == "ou":
        if any(result is True for result in results):
            return True
        return None if any(result is None for result in results) else False
    if any(result is False for result in results):
        return False
    return None if any(result is None for result in results) else True


def pending_variables(condition: Condition, values: Mapping[str, bool], pending: frozenset[str]) -> set[str]:
    """The variables of ``condition`` that have no value yet but an open question could set."""
    return {var for var in condition.variables() if var not in values and var in pending}
