"""Labelled review items as Rasa NLU training data (YAML), ready to review and add to data/nlu."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import yaml

from assistant.privacy.masking import mask

HEADER = (
    "# Exemples tirés de vraies conversations, étiquetés par les conseillers (données personnelles\n"
    "# masquées). À relire avant de les ajouter à data/nlu.\n"
)
SEARCH_INTENT = "ask_demarche"  # a message labelled with a fiche is a question about that démarche


def intent_of(kind: str, label: str) -> str:
    if kind == "situation":
        return f"situation_{label}"
    if kind == "fiche":
        return SEARCH_INTENT
    return label


def nlu_yaml(items: list[dict[str, Any]]) -> str:
    """One entry per intent, its examples masked again (the masking may have learnt since), once each."""
    examples: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for entry in items:
        if entry["status"] != "labelled" or not entry["label"]:
            continue
        text = " ".join(mask(str(entry["text"]))[0].split())
        if not text:
            continue
        intent = intent_of(str(entry["label_kind"]), str(entry["label"]))
        metadata = {"fiche": entry["label"]} if entry["label_kind"] == "fiche" else {}
        examples[intent].setdefault(text, metadata)
    nlu = []
    for intent in sorted(examples):
        listed: list[dict[str, Any]] = []
        for text, metadata in examples[intent].items():
            listed.append({"text": text, "metadata": metadata} if metadata else {"text": text})
        nlu.append({"intent": intent, "examples": listed})
    body = yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True, sort_keys=False, width=100)
    return HEADER + body
