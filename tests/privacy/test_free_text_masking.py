"""Issue #27, finding 5: a phone number and an e-mail address written in every free-text field of
every record (complaint, handoff packet, note, review queue) never reach storage, exports or
statistics; erasing the conversation removes all of it, the complaint included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from assistant.gateway.app import create_app
from assistant.review.repository import ReviewRepository
from assistant.storage.tables import feedback, handoff_notes, handoffs, review_items
from tests.conftest import add_agent, make_settings
from tests.fake_rasa import FakeRasa

PHONE, EMAIL = "06 98 76 54 32", "marie.curie@example.fr"
PERSONAL = f"la CAF, rappelez moi au {PHONE} ou {EMAIL}"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    answer = {"question": "Quel organisme ?", "answer": PERSONAL}  # a free-text answer in the tracker
    fake = FakeRasa(
        replies={
            "/ask_human": [{"custom": {"type": "handoff", "reason": "explicit_request", "priority": 1}}]
        },
        slots={"summary": {"answers": [answer]}},
    )
    settings = make_settings(tmp_path, rasa_url=fake.url, action_server_url=fake.url)
    with TestClient(create_app(settings)) as test_client:
        yield test_client
    fake.close()


def _rows(client: TestClient, table: sa.Table) -> list[dict[str, Any]]:
    database = client.app.state.services.database  # type: ignore[attr-defined]

    async def read() -> list[dict[str, Any]]:
        async with database.connect() as conn:
            return [dict(r) for r in (await conn.execute(table.select())).mappings().all()]

    rows: list[dict[str, Any]] = client.portal.call(read)  # type: ignore[union-attr]
    return rows


def _clean(where: str, value: object) -> None:
    text = str(value)
    assert PHONE not in text and EMAIL not in text and "98 76 54 32" not in text, (where, text)


def test_every_free_text_field_is_masked_and_erased_with_the_conversation(client: TestClient) -> None:
    state = client.app.state.services  # type: ignore[attr-defined]
    admin = {"Authorization": "Bearer " + add_agent(client, "admin", role="admin")}
    conversation = client.post("/api/conversations").json()["id"]
    url = f"/api/conversations/{conversation}/messages"
    assert client.post(url, json={"text": f"mon numéro est le {PHONE}, {EMAIL}"}).status_code == 200
    # a complaint: every free-text answer carries the personal data
    report = {
        "document": {"label": PERSONAL, "kind": "form", "cerfa": PERSONAL, "organisation": PERSONAL},
        "categories": ["jargon"],
        "description": PERSONAL,
        "suggestion": PERSONAL,
        "contact_consent": False,
        "contact": PERSONAL,
        "situations": ["F14128"],
    }
    reference, masked = client.portal.call(state.feedback.add, conversation, "web", report)  # type: ignore[union-attr]
    assert set(masked) >= {"phone", "email"}
    # a handoff (its packet: answers, transcript, summary), then an agent's note
    assert client.post(url, json={"payload": "/ask_human"}).status_code == 200
    (handoff,) = _rows(client, handoffs)
    claimed = client.post(f"/api/handoffs/{handoff['id']}/claim", headers=admin)
    assert claimed.status_code == 200, claimed.text
    note = client.post(f"/api/handoffs/{handoff['id']}/notes", json={"text": PERSONAL}, headers=admin)
    assert note.status_code == 201, note.text
    # the review queue
    client.portal.call(
        ReviewRepository(state.database).enqueue, conversation, "web", None, "misunderstood", PERSONAL
    )  # type: ignore[union-attr]

    # storage
    for table in (feedback, handoffs, handoff_notes, review_items):
        rows = _rows(client, table)
        assert rows, table.name
        _clean(table.name, rows)
    # what administrators read and export
    for path in (
        f"/api/feedback/{reference}",
        "/api/feedback",
        "/api/feedback.csv",
        "/api/feedback/export",
        "/api/feedback/stats",
        f"/api/handoffs/{handoff['id']}",
    ):
        response = client.get(path, headers=admin)
        assert response.status_code == 200, (path, response.text)
        body = response.text
        if path.startswith("/api/handoffs"):  # the transcript is the conversation itself, not a record
            data = response.json()
            body = str({"packet": data.get("packet"), "notes": data.get("notes")})
        _clean(path, body)

    # erasure removes everything tied to the conversation, the complaint included
    assert client.delete(f"/api/conversations/{conversation}", headers=admin).status_code == 204
    for table in (feedback, handoffs, handoff_notes, review_items):
        assert _rows(client, table) == [], table.name
    assert client.get(f"/api/feedback/{reference}", headers=admin).status_code == 404
