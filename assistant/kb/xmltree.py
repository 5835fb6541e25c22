"""Read a DILA XML fiche into the same tree as the package's JSON (xml-js layout).

The official DILA archives carry the fiches as XML; the npm package carries the same
tree converted with xml-js. Converting XML back to that layout lets one extractor
handle both. Namespaced names keep their prefix (``dc:title``), whitespace-only text
is dropped, like xml-js does in the package.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any

from assistant.kb.errors import KnowledgeBaseError
from assistant.kb.nodes import Node


def _qualify(name: str, prefixes: dict[str, str]) -> str:
    if name.startswith("{"):
        uri, _, local = name[1:].partition("}")
        prefix = prefixes.get(uri)
        return f"{prefix}:{local}" if prefix else local
    return name


def _convert(element: ET.Element, prefixes: dict[str, str]) -> Node:
    children: list[Node] = []
    if element.text and element.text.strip():
        children.append({"type": "text", "text": element.text})
    for sub in element:
        children.append(_convert(sub, prefixes))
        if sub.tail and sub.tail.strip():
            children.append({"type": "text", "text": sub.tail})
    node: dict[str, Any] = {"type": "element", "name": _qualify(element.tag, prefixes)}
    if element.attrib:
        node["attributes"] = {_qualify(key, prefixes): value for key, value in element.attrib.items()}
    if children:
        node["children"] = children
    return node


def parse_xml_fiche(data: bytes, label: str) -> Node:
    """Parse one XML fiche and return its root element as an xml-js node.

    ``label`` names the fiche in error messages.
    """
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise KnowledgeBaseError(f"Fiche {label} : les DTD et entités XML ne sont pas acceptées")
    prefixes: dict[str, str] = {}
    declared: dict[str, str] = {}
    root: ET.Element | None = None
    try:
        for event, item in ET.iterparse(io.BytesIO(data), events=("start-ns", "start")):  # noqa: S314
            if event == "start-ns":
                prefix, uri = item  # type: ignore[misc]
                if prefix:
                    prefixes[str(uri)] = str(prefix)
                    declared[f"xmlns:{prefix}"] = str(uri)
            elif root is None:
                root = item  # type: ignore[assignment]
    except ET.ParseError as exc:
        raise KnowledgeBaseError(f"Fiche {label} : XML invalide ({exc})") from exc
    if root is None:
        raise KnowledgeBaseError(f"Fiche {label} : XML vide")
    node = _convert(root, prefixes)
    if declared:
        node["attributes"] = {**declared, **node.get("attributes", {})}
    return node


def to_xml(node: Node) -> str:
    """Serialise an xml-js node back to XML text (used to make XML fixtures).

    Elements holding only elements are indented; mixed content is written as is, so
    parsing the result with :func:`parse_xml_fiche` gives back the same tree.
    """
    out: list[str] = []

    def escape(text: str, quote: bool = False) -> str:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return text.replace('"', "&quot;") if quote else text

    def visit(current: Node, depth: int, indent: bool) -> None:
        if current.get("type") == "text":
            out.append(escape(str(current.get("text", ""))))
            return
        pad = "\n" + "  " * depth if indent else ""
        name = str(current["name"])
        attributes = "".join(
            f' {key}="{escape(str(value), quote=True)}"'
            for key, value in (current.get("attributes") or {}).items()
        )
        kids = current.get("children") or []
        if not kids:
            out.append(f"{pad}<{name}{attributes}/>")
            return
        nested = all(kid.get("type") == "element" for kid in kids)
        out.append(f"{pad}<{name}{attributes}>")
        for kid in kids:
            visit(kid, depth + 1, nested)
        out.append(f"{pad if nested else ''}</{name}>")

    visit(node, 0, False)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(out) + "\n"
