"""User-facing texts written by the gateway, kept in templates rather than in code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _catalogue(language: str) -> dict[str, str]:
    with open(TEMPLATES / f"messages.{language}.yml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return {str(k): str(v) for k, v in data.items()}


def text(key: str, language: str = "fr", **values: object) -> str:
    """The text for `key`, with `{placeholders}` filled from `values`."""
    template = _catalogue(language)[key]
    return template.format(**values) if values else template
