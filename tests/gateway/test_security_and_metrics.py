"""Security headers, CORS limited to the widget origins, metrics, and masked logs."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.gateway.app import create_app
from assistant.infra.logs import JsonFormatter


def test_api_answers_carry_security_headers(gateway: TestClient) -> None:
    response = gateway.post("/api/conversations")
    for name, value in {
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
        "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
        "cache-control": "no-store",
    }.items():
        assert response.headers[name] == value
    assert "strict-transport-security" not in response.headers  # plain http in tests


def test_cors_only_for_configured_origins(rasa_stack: Settings, tmp_path: Path) -> None:
    settings = rasa_stack.copy(
        update={"database_url": f"sqlite:///{tmp_path / 'gw.db'}", "widget_origins": "https://mairie.example"}
    )
    with TestClient(create_app(settings)) as client:
        allowed = client.options(
            "/api/conversations",
            headers={"Origin": "https://mairie.example", "Access-Control-Request-Method": "POST"},
        )
        assert allowed.headers["access-control-allow-origin"] == "https://mairie.example"
        refused = client.options(
            "/api/conversations",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in refused.headers
    with TestClient(
        create_app(rasa_stack.copy(update={"database_url": f"sqlite:///{tmp_path / 'b.db'}"}))
    ) as c:
        response = c.post("/api/conversations", headers={"Origin": "https://mairie.example"})
        assert "access-control-allow-origin" not in response.headers


def test_metrics_count_messages_and_requests(gateway: TestClient) -> None:
    conversation = gateway.post("/api/conversations").json()["id"]
    gateway.post(f"/api/conversations/{conversation}/messages", json={"text": "bonjour"})
    body = gateway.get("/metrics").text
    assert 'assistant_messages_total{channel="web",role="user"}' in body
    assert 'assistant_reply_seconds_count{channel="web"}' in body
    assert "assistant_handoffs_waiting" in body
    assert 'route="/api/conversations/{id}/messages"' in body and conversation not in body


def test_logs_are_json_with_personal_data_masked() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "from %s", ("jean@exemple.fr 06 12 34 56 78",), None
    )
    record.conversation_id = "abc"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["conversation_id"] == "abc" and entry["level"] == "info"
    assert "jean@exemple.fr" not in entry["msg"] and "06 12 34 56 78" not in entry["msg"]
