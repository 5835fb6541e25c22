"""The sensitive situations: those the dialogue meets with empathy (`utter_empathy_<id>` in domain.yml)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

EMPATHY = re.compile(r"^utter_empathy_(F\d{1,6})$")


def sensitive_situations(domain: Path) -> frozenset[str]:
    """Read once by the composition root; an image without domain.yml has none."""
    if not domain.is_file():
        return frozenset()
    data = yaml.safe_load(domain.read_text(encoding="utf-8")) or {}
    names = (data.get("responses") or {}).keys()
    return frozenset(m.group(1) for m in map(EMPATHY.match, names) if m)
