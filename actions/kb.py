"""The knowledge base, loaded once per action-server process on first use."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Optional

from assistant.config import read_settings
from assistant.kb import KnowledgeBase, load_knowledge_base

_lock = threading.Lock()
_kb: Optional[KnowledgeBase] = None


def kb_dir() -> Path:
    """KB_DIR, through the settings (data/kb by default); `read_settings`: no gateway secret needed."""
    return read_settings().kb_dir


def get_kb() -> KnowledgeBase:
    global _kb
    with _lock:
        if _kb is None:
            _kb = load_knowledge_base(kb_dir())
        return _kb


def set_kb(kb: Optional[KnowledgeBase]) -> None:
    """Tests install a knowledge base built from fixtures."""
    global _kb
    with _lock:
        _kb = kb
