"""Link codes: 6 characters from an alphabet without 0/O/1/I/L, and the commands that carry them."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Optional, Union

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0, O, 1, I, L
CODE_LENGTH = 6
REQUEST_WORD = "CODE"
MASKED = "******"

_CODE_CHAR = f"[{ALPHABET}]"
_REDEEM = re.compile(rf"^CODE\s*[:\-]?\s*((?:{_CODE_CHAR}[\s\-]*){{{CODE_LENGTH}}})$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: str) -> str:
    return re.sub(r"[\s\-]", "", code).upper()


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class RequestCode:
    """The person sent "CODE" alone: they want a code for this conversation."""


@dataclass(frozen=True)
class RedeemCode:
    code: str


LinkCommand = Union[RequestCode, RedeemCode]


def parse_command(text: str) -> Optional[LinkCommand]:
    """`CODE` → RequestCode; `code k7p 2qx` → RedeemCode("K7P2QX"); anything else → None.

    Only the code alphabet is accepted after "CODE", so "code postal" or "code 75011" still go
    to the dialogue.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = folded.strip(" \t\r\n.!?,;:'\"").upper()
    if folded == REQUEST_WORD:
        return RequestCode()
    match = _REDEEM.match(folded)
    return RedeemCode(normalise(match.group(1))) if match else None
