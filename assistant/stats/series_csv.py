"""The indicators over time as a spreadsheet-safe CSV (the supervisor page's export)."""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = (
    ("period", "periode"),
    ("conversations", "conversations"),
    ("contained", "conversations_autonomes"),
    ("containment_rate", "taux_autonomie"),
    ("handoff_rate", "taux_transfert"),
    ("user_messages", "messages"),
    ("misunderstood_rate", "taux_incompris"),
    ("csat_responses", "avis_satisfaction"),
    ("csat_mean", "note_moyenne"),
    ("csat_satisfied_rate", "taux_satisfaits"),
)


def flat(row: dict[str, Any]) -> dict[str, Any]:
    csat = row["csat"]
    return {
        **row,
        "csat_responses": csat["responses"],
        "csat_mean": csat["mean"],
        "csat_satisfied_rate": csat["satisfied_rate"],
    }


def series_csv(rows: list[dict[str, Any]]) -> str:
    """Numbers and ISO dates only: no cell can start a spreadsheet formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title for _, title in COLUMNS])
    for row in rows:
        values = flat(row)
        writer.writerow(["" if values[key] is None else values[key] for key, _ in COLUMNS])
    return "\ufeff" + buffer.getvalue()
