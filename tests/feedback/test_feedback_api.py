"""Feedback records: masking, references, admin API filters, CSV safety, statistics and export."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import add_agent


def report(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "document": {
            "label": "Formulaire 13750*07",
            "kind": "form",
            "fiche_id": "R13567",
            "cerfa": "13750*07",
            "organisation": "ANTS",
        },
        "categories": ["jargon"],
        "description": "Trop de mots techniques.",
        "suggestion": None,
        "contact_consent": False,
        "contact": None,
        "situations": ["F14128"],
    }
    base.update(overrides)
    return base


@pytest.fixture
def admin(gateway: TestClient) -> dict[str, str]:
    return {"Authorization": "Bearer " + add_agent(gateway, "admin-" + str(id(gateway)), role="admin")}


def add(gateway: TestClient, data: dict[str, Any], conversation: str | None = None) -> tuple[str, list[str]]:
    state = gateway.app.state.services  # type: ignore[attr-defined]
    result: tuple[str, list[str]] = gateway.portal.call(state.feedback.add, conversation, "web", data)  # type: ignore[union-attr]
    return result


def test_personal_data_is_masked_and_contact_needs_consent(
    gateway: TestClient, admin: dict[str, str]
) -> None:
    reference, masked = add(
        gateway,
        report(
            description="Mon NIR 1 85 05 78 006 084 36, j'habite 12 rue des Lilas 75011 Paris, a@b.fr",
            suggestion="rappelez-moi au 06 12 34 56 78",
            contact="jean@exemple.fr",
        ),
    )
    assert re.fullmatch(r"DOC-\d{4}-\d{6}", reference)
    assert set(masked) == {"nir", "address", "email", "phone"}
    stored = gateway.get(f"/api/feedback/{reference}", headers=admin).json()
    text = stored["description"] + (stored["suggestion"] or "")
    for secret in ("006 084", "rue des Lilas", "a@b.fr", "06 12 34 56 78"):
        assert secret not in text
    assert stored["contact"] is None  # no consent, no contact
    consented, _ = add(gateway, report(contact_consent=True, contact="jean@exemple.fr"))
    assert gateway.get(f"/api/feedback/{consented}", headers=admin).json()["contact"] == "jean@exemple.fr"


def test_roles(gateway: TestClient, admin: dict[str, str]) -> None:
    assert gateway.get("/api/feedback").status_code == 401
    agent = {"Authorization": "Bearer " + add_agent(gateway, "simple-agent")}
    for path in (
        "/api/feedback",
        "/api/feedback.csv",
        "/api/feedback/stats",
        "/api/feedback/DOC-2026-000001",
    ):
        response = gateway.get(path, headers=agent)
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert gateway.get("/api/feedback/DOC-1999-999999", headers=admin).status_code == 404
    assert gateway.get("/api/feedback/../../etc", headers=admin).status_code == 404


def test_filters_pagination_stats_and_export(gateway: TestClient, admin: dict[str, str]) -> None:
    conversation = gateway.post("/api/conversations").json()["id"]
    add(gateway, report(), conversation)
    add(gateway, report(categories=["too_long", "jargon"]))
    letter = {"label": "Lettre de la CAF", "kind": "letter", "organisation": "CAF"}
    add(gateway, report(document=letter, categories=["missing_info"]))
    listed = gateway.get("/api/feedback?category=jargon&per_page=1", headers=admin).json()
    assert listed["total"] == 2 and len(listed["items"]) == 1 and listed["per_page"] == 1
    page_two = gateway.get("/api/feedback?category=jargon&per_page=1&page=2", headers=admin).json()
    assert page_two["items"][0]["reference"] != listed["items"][0]["reference"]
    by_doc = gateway.get("/api/feedback?document=13750", headers=admin).json()
    assert by_doc["total"] == 2
    assert gateway.get("/api/feedback?document=R13567", headers=admin).json()["total"] == 2
    caf = gateway.get("/api/feedback?organisation=caf", headers=admin).json()
    assert caf["total"] == 1 and caf["items"][0]["document"]["kind"] == "letter"
    with_conversation = gateway.get("/api/feedback?per_page=500", headers=admin).json()["items"]
    assert conversation in {i["conversation_id"] for i in with_conversation}
    assert gateway.get("/api/feedback?from=2000-01-01&to=2000-12-31", headers=admin).json()["total"] == 0
    assert gateway.get("/api/feedback?category=nope", headers=admin).status_code == 422
    assert gateway.get("/api/feedback?from=2026-02-01&to=2026-01-01", headers=admin).status_code == 422
    assert gateway.get("/api/feedback?page=0", headers=admin).status_code == 422

    stats = gateway.get("/api/feedback/stats", headers=admin).json()
    assert stats["total"] >= 3
    top = {d["key"]: d["count"] for d in stats["by_document"]}
    assert top["R13567"] >= 2
    assert {c["key"] for c in stats["by_category"]} >= {"jargon", "too_long", "missing_info"}
    assert all(re.fullmatch(r"\d{4}-W\d{2}", w["key"]) for w in stats["by_week"])

    export = gateway.get("/api/feedback/export", headers=admin).json()["signalements"]
    entry = next(e for e in export if e["document"]["fiche"] == "R13567")
    assert entry["document"]["reference"] == "13750*07" and entry["structure"] == "ANTS"
    assert "Vocabulaire, jargon" in entry["difficultes"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_cells_never_become_formulas(gateway: TestClient, admin: dict[str, str], start: str) -> None:
    add(gateway, report(description=f'{start}HYPERLINK("http://x","clic")', suggestion=f"{start}1+1"))
    response = gateway.get("/api/feedback.csv", headers=admin)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    assert any(row["Description"] == f'\'{start}HYPERLINK("http://x","clic")' for row in rows)
