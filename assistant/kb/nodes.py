"""Helpers over the xml-js tree used by the package (and rebuilt from XML).

A node is ``{"type": "element", "name": ..., "attributes": {...}, "children": [...]}``
or a text node ``{"type": "text", "text": ...}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assistant.kb.text import clean_spaces

Node = dict[str, Any]

# Elements whose text starts a new line when a subtree is flattened to text.
BLOCK_ELEMENTS = frozenset({"Paragraphe", "Item", "Titre", "Cellule", "Chapitre", "SousChapitre", "Cas"})


def is_element(node: Node, name: str | None = None) -> bool:
    return node.get("type") == "element" and (name is None or node.get("name") == name)


def elements(node: Node) -> list[Node]:
    """The element children of ``node``."""
    return [child for child in node.get("children") or [] if child.get("type") == "element"]


def child(node: Node, name: str) -> Node | None:
    """The first element child called ``name``."""
    for item in node.get("children") or []:
        if item.get("type") == "element" and item.get("name") == name:
            found: Node = item
            return found
    return None


def children_named(node: Node, name: str) -> list[Node]:
    return [item for item in elements(node) if item.get("name") == name]


def attr(node: Node, name: str) -> str | None:
    value = (node.get("attributes") or {}).get(name)
    return None if value is None else str(value)


def walk(node: Node) -> Iterator[Node]:
    """Every element of the subtree, in document order (``node`` included)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.get("type") != "element":
            continue
        yield current
        stack.extend(reversed(current.get("children") or []))


def raw_text(node: Node, skip: frozenset[str] = frozenset()) -> str:
    """The text of a subtree, block elements separated by spaces, elements in ``skip`` left out."""
    parts: list[str] = []

    def visit(current: Node) -> None:
        if current.get("type") == "text":
            parts.append(str(current.get("text", "")))
            return
        if current.get("type") != "element" or current.get("name") in skip:
            return
        block = current.get("name") in BLOCK_ELEMENTS
        if block:
            parts.append(" ")
        for item in current.get("children") or []:
            visit(item)
        if block:
            parts.append(" ")

    visit(node)
    return "".join(parts)


def text_of(node: Node | None, skip: frozenset[str] = frozenset()) -> str:
    """Clean text of a subtree (whitespace collapsed), ``""`` for ``None``."""
    if node is None:
        return ""
    return clean_spaces(raw_text(node, skip))


def child_text(node: Node, name: str) -> str:
    return text_of(child(node, name))
