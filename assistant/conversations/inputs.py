"""Rules every inbound text follows, whatever the channel: size limits and cleaning."""

from __future__ import annotations

import re
import unicodedata

MAX_TEXT_CHARS = 2000
MAX_PAYLOAD_CHARS = 500
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """NFC-normalise, drop control and direction characters, trim."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()
