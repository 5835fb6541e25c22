"""Knowledge base built from the service-public.fr "vos droits et démarches" fiches.

Build it with ``assistant kb build --source PATH``; load it with
:func:`load_knowledge_base`. Importing this package does no I/O.
"""

from assistant.kb.errors import KnowledgeBaseError
from assistant.kb.loader import KnowledgeBase, load_knowledge_base
from assistant.kb.models import (
    ATTRIBUTION,
    CatalogueEntry,
    Choice,
    ContentNode,
    GlossaryEntry,
    Meta,
    Question,
    Situation,
)
from assistant.kb.plan_model import Plan, PlanItem
from assistant.kb.search import SearchHit
from assistant.kb.timing import Deadline

__all__ = [
    "ATTRIBUTION",
    "CatalogueEntry",
    "Choice",
    "ContentNode",
    "Deadline",
    "GlossaryEntry",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Meta",
    "Plan",
    "PlanItem",
    "Question",
    "SearchHit",
    "Situation",
    "load_knowledge_base",
]
