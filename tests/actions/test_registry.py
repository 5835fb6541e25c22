"""The action server's side of the contract: action names, and the knowledge base it loads."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Action

import actions
from actions import state
from actions.kb import get_kb, kb_dir, set_kb
from assistant.config import PROJECT_ROOT, read_settings
from tests.actions.expect import situations


def action_classes() -> list[type[Action]]:
    found: dict[str, type[Action]] = {}
    for module in pkgutil.iter_modules(actions.__path__):
        loaded = importlib.import_module(f"actions.{module.name}")
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if (
                issubclass(cls, Action)
                and cls.__module__.startswith("actions.")
                and not inspect.isabstract(cls)
            ):
                found[f"{cls.__module__}.{cls.__name__}"] = cls
    return list(found.values())


def test_every_action_is_in_the_domain_and_every_domain_action_exists(domain: dict[str, Any]) -> None:
    names = sorted(cls().name() for cls in action_classes())
    assert names == sorted(domain["actions"])


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings are read once per process: read them again for this test, and after it."""
    read_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    read_settings.cache_clear()


def test_the_knowledge_base_folder(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    environment.delenv("KB_DIR", raising=False)
    assert kb_dir() == PROJECT_ROOT / "data" / "kb"
    read_settings.cache_clear()
    environment.setenv("KB_DIR", str(tmp_path))
    assert kb_dir() == tmp_path


def test_the_knowledge_base_is_loaded_once_on_first_use(environment: pytest.MonkeyPatch) -> None:
    set_kb(None)
    environment.setenv("KB_DIR", str(PROJECT_ROOT / "data" / "kb"))
    first = get_kb()
    read_settings.cache_clear()
    environment.setenv("KB_DIR", "/nonexistent")  # not read again
    assert get_kb() is first
    assert sorted(first.situations) == sorted(situations())


def test_today_is_the_system_date() -> None:
    """The other tests read relative dates against a fixed day (conftest.fixed_today)."""
    assert state.today() == date.today()
