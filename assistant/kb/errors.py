"""The single error type of the knowledge base."""

from __future__ import annotations


class KnowledgeBaseError(Exception):
    """A source, a fiche or a built knowledge base that cannot be used.

    The message is meant for a human: it names the file or the fiche at fault.
    """
