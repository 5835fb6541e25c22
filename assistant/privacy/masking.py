"""Personal data in free text: e-mail addresses, phone numbers, NIR, IBAN, postal addresses."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# IBAN: country code, 2 check digits, 11 to 30 alphanumerics, optionally grouped by 4
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b", re.IGNORECASE)
# NIR (numéro de sécurité sociale): 1/2, year, month, department (2A/2B), commune, order, optional key
_NIR = re.compile(
    r"\b[12][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .]?(?:\d{2}|2[AB])"
    r"[ .]?\d{3}[ .]?\d{3}(?:[ .]?\d{2})?\b",
    re.IGNORECASE,
)
# French phone numbers: 0X XX XX XX XX, +33 X XX XX XX XX, 0033...
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)33[ .-]?(?:\(0\))?[ .-]?[1-9]|0[1-9])(?:[ .-]?\d{2}){4}(?!\d)")
_STREET_TYPES = (
    "rue|avenue|av\\.?|boulevard|bd|chemin|allée|allee|impasse|place|route|quai|cours|square|"
    "résidence|residence|lotissement|lieu-dit|faubourg|passage|voie|sentier|hameau"
)
# "12 bis rue des Lilas", "3, avenue Jean Jaurès 75011 Paris"
_ADDRESS = re.compile(
    rf"\b\d{{1,4}}(?:\s?(?:bis|ter|quater|[a-d]))?,?\s+(?:{_STREET_TYPES})\b[^\n,.;]*"
    rf"(?:,?\s*\d{{5}}(?:\s+[A-ZÀ-Ü][\w' -]*)?)?",
    re.IGNORECASE,
)
_POSTCODE_CITY = re.compile(r"\b\d{5}\s+[A-ZÀ-Ü][\w'-]+(?:[ -][A-ZÀ-Ü][\w'-]+)*\b")

MASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", _EMAIL),
    ("iban", _IBAN),
    ("nir", _NIR),
    ("phone", _PHONE),
    ("address", _ADDRESS),
    ("address", _POSTCODE_CITY),
)
PLACEHOLDERS = {
    "email": "[adresse e-mail masquée]",
    "iban": "[IBAN masqué]",
    "nir": "[numéro de sécurité sociale masqué]",
    "phone": "[numéro de téléphone masqué]",
    "address": "[adresse postale masquée]",
}


def mask(text: str) -> tuple[str, list[str]]:
    """The text with personal data replaced, and the kinds of data that were found."""
    found: list[str] = []
    for kind, pattern in MASKS:
        text, count = pattern.subn(PLACEHOLDERS[kind], text)
        if count and kind not in found:
            found.append(kind)
    return text, found


def mask_all(values: Iterable[str | None]) -> tuple[list[str | None], list[str]]:
    kinds: list[str] = []
    out: list[str | None] = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        masked, found = mask(value)
        out.append(masked)
        kinds += [k for k in found if k not in kinds]
    return out, kinds


def mask_tree(value: Any, keep: frozenset[str] = frozenset()) -> Any:
    """Every string of a JSON-like value masked (dict keys in `keep` left as they are): for records
    that hold free text in a structure, such as handoff packets."""
    if isinstance(value, str):
        return mask(value)[0]
    if isinstance(value, list):
        return [mask_tree(item, keep) for item in value]
    if isinstance(value, dict):
        return {k: (v if k in keep else mask_tree(v, keep)) for k, v in value.items()}
    return value
