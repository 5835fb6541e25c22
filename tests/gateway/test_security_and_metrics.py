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


METRICS_TOKEN = "jeton-de-supervision-assez-long-0123"


def test_metrics_count_messages_and_requests(rasa_stack: Settings, tmp_path: Path) -> None:
    settings = rasa_stack.copy(
        update={"database_url": f"sqlite:///{tmp_path / 'gw.db'}", "metrics_token": METRICS_TOKEN}
    )
    with TestClient(create_app(settings)) as gateway:
        conversation = gateway.post("/api/conversations").json()["id"]
        gateway.post(f"/api/conversations/{conversation}/messages", json={"text": "bonjour"})
        assert gateway.get("/metrics").status_code == 401  # behind its token (issue #27)
        wrong = gateway.get("/metrics", headers={"Authorization": "Bearer pas-le-bon-jeton"})
        assert wrong.status_code == 401 and "supervision" in wrong.json()["error"]["message"]
        body = gateway.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).text
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
    assert entry["level"] == "info"
    assert "jean@exemple.fr" not in entry["msg"] and "06 12 34 56 78" not in entry["msg"]


def test_conversation_ids_never_reach_the_log() -> None:
    """Issue #27: the id is the only secret protecting a transcript; the log keeps a keyed hash."""
    conversation = "Zx8kQ2-" + "a" * 25
    record = logging.LogRecord(
        "x",
        logging.WARNING,
        __file__,
        1,
        "Rasa unreachable: GET /conversations/%s/tracker",
        (conversation,),
        None,
    )
    record.conversation_id = conversation
    line = JsonFormatter(b"cle-secrete").format(record)
    other_key = json.loads(JsonFormatter(b"autre-cle").format(record))
    entry = json.loads(line)
    assert conversation not in line
    assert json.loads(JsonFormatter(b"cle-secrete").format(record))["conversation"] == entry["conversation"]
    assert len(entry["conversation"]) == 16 and entry["conversation"] != other_key["conversation"]
    assert entry["conversation"] in entry["msg"]  # the same reference in the text: lines go together
