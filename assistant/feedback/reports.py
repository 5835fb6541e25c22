"""Counting and exporting feedback: statistics, spreadsheet-safe CSV, a Services Publics+ style export."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from assistant.feedback import CATEGORIES, CHANNEL_LABELS, KIND_LABELS

CSV_COLUMNS = (
    "reference", "created_at", "channel", "conversation_id", "document_label", "document_kind",
    "fiche_id", "cerfa", "organisation", "categories", "description", "suggestion", "contact",
    "situations",
)  # fmt: skip
# The CSV's header row: what each column is, in French.
CSV_HEADERS = {
    "reference": "Référence", "created_at": "Date", "channel": "Canal", "conversation_id": "Conversation",
    "document_label": "Document", "document_kind": "Type de document", "fiche_id": "Fiche",
    "cerfa": "Cerfa", "organisation": "Organisme", "categories": "Difficultés",
    "description": "Description", "suggestion": "Suggestion", "contact": "Contact",
    "situations": "Situations",
}  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value: Any) -> str:
    """A cell that a spreadsheet will never read as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def flat(record: dict[str, Any]) -> dict[str, Any]:
    document = record["document"]
    return {
        "reference": record["reference"],
        "created_at": record["created_at"],
        "channel": record["channel"],
        "conversation_id": record["conversation_id"],
        "document_label": document["label"],
        "document_kind": document["kind"],
        "fiche_id": document["fiche_id"],
        "cerfa": document["cerfa"],
        "organisation": document["organisation"],
        "categories": "|".join(record["categories"]),
        "description": record["description"],
        "suggestion": record["suggestion"],
        "contact": record["contact"],
        "situations": "|".join(record["situations"]),
    }


def readable(record: dict[str, Any]) -> dict[str, Any]:
    """The flat row with French labels in place of codes (channel, kind, categories)."""
    row = flat(record)
    row["channel"] = CHANNEL_LABELS.get(record["channel"], record["channel"])
    row["document_kind"] = KIND_LABELS.get(record["document"]["kind"], record["document"]["kind"])
    row["categories"] = " | ".join(CATEGORIES.get(c, c) for c in record["categories"])
    row["situations"] = " | ".join(record["situations"])
    return row


def to_csv(records: Iterable[dict[str, Any]]) -> str:
    """One row per report under a French header row, with French labels in place of codes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([CSV_HEADERS[c] for c in CSV_COLUMNS])
    for item in records:
        row = readable(item)
        writer.writerow([spreadsheet_safe(row[c]) for c in CSV_COLUMNS])
    return "\ufeff" + buffer.getvalue()  # BOM: spreadsheets read the accents right


def week_of(iso: str) -> str:
    year, week, _ = datetime.fromisoformat(iso).isocalendar()
    return f"{year}-W{week:02d}"


def statistics(records: list[dict[str, Any]]) -> dict[str, Any]:
    def top(counter: Counter[str]) -> list[dict[str, Any]]:
        return [{"key": key, "count": count} for key, count in counter.most_common()]

    documents: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for item in records:
        key = item["document"]["fiche_id"] or item["document"]["label"]
        documents[key] += 1
        labels.setdefault(key, item["document"]["label"])
    return {
        "total": len(records),
        "by_document": [{**d, "label": labels[d["key"]]} for d in top(documents)],
        "by_organisation": top(Counter(i["document"]["organisation"] or "Non précisé" for i in records)),
        "by_category": [
            {**c, "label": CATEGORIES.get(c["key"], c["key"])}
            for c in top(Counter(cat for i in records for cat in i["categories"]))
        ],
        "by_week": sorted(top(Counter(week_of(i["created_at"]) for i in records)), key=lambda w: w["key"]),
    }


def services_publics_export(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per report, in the shape of a "signaler un document trop compliqué" process."""
    return [
        {
            "reference": item["reference"],
            "date": item["created_at"][:10],
            "structure": item["document"]["organisation"],
            "document": {
                "reference": item["document"]["cerfa"] or item["document"]["fiche_id"],
                "titre": item["document"]["label"],
                "type": item["document"]["kind"],
                "fiche": item["document"]["fiche_id"],
            },
            "difficultes": [CATEGORIES.get(c, c) for c in item["categories"]],
            "texte": item["description"],
            "proposition": item["suggestion"],
        }
        for item in records
    ]
