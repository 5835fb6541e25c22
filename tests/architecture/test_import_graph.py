"""The import graph of the product code: no cycle, and every import points down the layers.

Every import counts, those under `if TYPE_CHECKING:` and inside functions included: a cycle
hidden behind a lazy import is still a cycle between two modules that need each other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from assistant.config import PROJECT_ROOT

PACKAGES = ("assistant", "actions", "channels")

# Layers, lowest first; a module may import its own layer and those listed for it. The longest
# matching prefix decides a module's layer.
LAYERS: dict[str, str] = {
    "assistant": "base",  # the package itself: nothing but its docstring
    "assistant.config": "base",
    "assistant.texts": "base",
    "assistant.french": "base",
    "assistant.storage": "base",
    "assistant.infra": "base",
    "assistant.privacy": "base",
    "assistant.privacy.retention": "services",  # erases across every service's records
    "assistant.feedback": "base",  # the package's vocabulary (categories, kinds): constants only
    "assistant.kb": "kb",
    "assistant.nlu": "nlu",
    "assistant.understanding": "understanding",
    "assistant.rasa": "rasa",
    "assistant.conversations": "services",
    "assistant.handoff": "services",
    "assistant.feedback.repository": "services",
    "assistant.feedback.reports": "services",
    "assistant.plans": "services",
    "assistant.auth": "services",
    "assistant.linking": "services",
    "assistant.stats": "services",
    "assistant.review": "services",
    "assistant.satisfaction": "services",
    "assistant.reminders": "services",
    "channels": "channels",
    "assistant.gateway": "gateway",
    "actions": "actions",
    "assistant.ops": "ops",
}
MAY_IMPORT: dict[str, set[str]] = {
    "base": {"base"},
    "kb": {"base", "kb"},
    "nlu": {"base", "nlu"},  # runs inside Rasa
    "rasa": {"base", "rasa"},  # runs inside Rasa, never imported by the gateway
    "understanding": {"base", "kb", "understanding"},  # the router: pure, over the knowledge base
    "actions": {"base", "kb", "understanding", "actions"},  # the action server
    "services": {"base", "kb", "services"},
    "channels": {"base", "services", "channels"},
    "gateway": {"base", "kb", "services", "channels", "gateway"},
    "ops": {"base", "kb", "rasa", "services", "channels", "gateway", "ops"},
}


def module_files() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported_names(path: Path, module: str, is_package: bool) -> Iterator[str]:
    """Every module name an import statement of the file may refer to."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = {n for n in imported_names(path, module, path.name == "__init__.py") if n in modules}
        graph[module] = targets - {module}
    return graph


def layer(module: str) -> str:
    prefixes = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    assert prefixes, f"{module} belongs to no layer: add it to LAYERS"
    return LAYERS[max(prefixes, key=len)]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read_whole() -> None:
    graph = import_graph()
    assert len(graph) > 100
    assert "assistant.conversations.repository" in graph["assistant.conversations.service"]
    assert "channels.registry" in graph["assistant.gateway.state"]


def test_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_every_import_points_down_the_layers() -> None:
    wrong = [
        f"{module} ({layer(module)}) imports {target} ({layer(target)})"
        for module, targets in sorted(import_graph().items())
        for target in sorted(targets)
        if layer(target) not in MAY_IMPORT[layer(module)]
    ]
    assert wrong == []


def test_the_checks_catch_a_cycle_and_a_wrong_way_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert "gateway" not in MAY_IMPORT[layer("channels.telegram")]
    assert "channels" not in MAY_IMPORT[layer("assistant.conversations.service")]
