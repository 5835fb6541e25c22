"""The knowledge base, loaded once per action-server process on first use."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Optional

from assistant.kb import KnowledgeBase, load_knowledge_base

_lock = threading.Lock()
_kb: Optional[KnowledgeBase] = None


def kb_dir() -> Path:
    default = Path(__file__).resolve().parent.parent / "data" / "kb"
    return Path(os.environ.get("KB_DIR") or default)


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
