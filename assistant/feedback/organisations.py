"""The organisation of a report's document, named as an organisation.

A fiche's "où s'adresser" is sometimes a phone line ("34 00 - Informations sur la carte grise ou
le permis de conduire", "Assurance maladie - 3646"): the organisation behind the line is kept,
never the line's number or its description.
"""

from __future__ import annotations

import re
from typing import Optional

# Phone lines whose label names no organisation: the organisation that answers them.
LINES: dict[str, Optional[str]] = {
    "3400": "Agence nationale des titres sécurisés (ANTS)",
    "3939": "Allô Service Public (Dila)",
    "3960": "Assurance retraite",
    "3646": "Assurance maladie",
    "3949": "France Travail (ex-Pôle emploi)",
    "3995": "France Travail (ex-Pôle emploi)",
    "3635": "SNCF",
    "3682": "Assurance retraite",
    "3919": "Violences Femmes Info",
    "116006": "France Victimes",
}
_NUMBER = r"\d[\d ]{1,8}\d|\d{2,4}"
_LEADING = re.compile(rf"^\s*(?P<number>{_NUMBER})\s*(?:-\s*)?(?P<rest>.*)$")
_TRAILING = re.compile(rf"^(?P<rest>.*?)\s+-\s+(?P<number>{_NUMBER})\s*$")


def organisation_name(value: Optional[str]) -> Optional[str]:
    """The organisation a stored "organisme" names; None when it names only a phone line."""
    if value is None:
        return None
    text = " ".join(value.split())
    if not text:
        return None
    leading = _LEADING.match(text)
    if leading:  # "34 00 - Informations sur…", "3939 Allô Service Public"
        return LINES.get(leading["number"].replace(" ", ""))
    trailing = _TRAILING.match(text)
    if trailing:  # "Assurance maladie - 3646"
        return LINES.get(trailing["number"].replace(" ", "")) or trailing["rest"].strip() or None
    return text
