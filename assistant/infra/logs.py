"""Structured JSON logs on stderr: personal data masked, conversation ids replaced by a keyed hash.

A conversation id is the only secret that protects a transcript (whoever holds it can read the
conversation through the API): it never appears in a log line. The `conversation` field holds
HMAC-SHA256(SECRET_KEY, id), truncated: lines of one conversation still go together, and an
operator who has the id (from the person, or the database) can compute the same value
(`conversation_ref`)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import sys
from datetime import datetime, timezone

from assistant.privacy.masking import mask

_EXTRA_FIELDS = ("latency_ms", "channel", "status")
# Conversation ids inside messages (URLs of Rasa's API, exception texts).
_IN_PATH = re.compile(r"(?<=conversations/)[A-Za-z0-9_-]{16,64}")


def conversation_ref(key: bytes, conversation_id: str) -> str:
    """What the logs show instead of a conversation id."""
    return hmac.new(key, conversation_id.encode(), hashlib.sha256).hexdigest()[:16]


class JsonFormatter(logging.Formatter):
    def __init__(self, key: bytes = b"") -> None:
        super().__init__()
        self.key = key

    def _scrub(self, text: str) -> str:
        text = _IN_PATH.sub(lambda m: "ref-" + conversation_ref(self.key, m.group(0)), text)
        return mask(text)[0]

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": self._scrub(record.getMessage()),
        }
        conversation = getattr(record, "conversation_id", None)
        if conversation is not None:
            entry["conversation"] = conversation_ref(self.key, str(conversation))
        for name in _EXTRA_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exc"] = self._scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "INFO", key: str = "") -> None:
    """`key`: SECRET_KEY, which keys the hash of conversation ids."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(key.encode()))
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
