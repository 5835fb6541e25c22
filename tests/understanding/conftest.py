"""The committed knowledge base, for the signals read from it."""

from __future__ import annotations

import pytest

from assistant.config import PROJECT_ROOT
from assistant.kb import KnowledgeBase, load_knowledge_base


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base(PROJECT_ROOT / "data" / "kb")
