"""Fixtures of the command-line tests: the environment the commands read, an empty database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.config import read_settings
from tests.storage.conftest import empty_database

__all__ = ["empty_database"]


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set variables with it: the cached settings are read again, and once more afterwards."""
    read_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    read_settings.cache_clear()
