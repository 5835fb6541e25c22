"""/healthz is 200 only when Rasa, the action server and the storage all answer."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.gateway.app import create_app
from tests.helpers import free_port


def test_healthy_stack(gateway: TestClient) -> None:
    response = gateway.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "components": {"rasa": "ok", "actions": "ok", "storage": "ok"},
        "down": [],
        "message": "Tous les composants répondent.",
    }


def test_names_what_is_down(rasa_stack: Settings, tmp_path: Path) -> None:
    settings = rasa_stack.copy(
        update={
            "database_url": f"sqlite:///{tmp_path / 'gw.db'}",
            "action_server_url": f"http://127.0.0.1:{free_port()}",
        }
    )
    with TestClient(create_app(settings)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["actions"]
    assert "le serveur d'actions (actions)" in response.json()["message"]


def test_wrong_rasa_token_counts_as_down(rasa_stack: Settings, tmp_path: Path) -> None:
    settings = rasa_stack.copy(
        update={"database_url": f"sqlite:///{tmp_path / 'gw.db'}", "rasa_token": "wrong-token"}
    )
    with TestClient(create_app(settings)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["rasa"]


def test_names_redis_when_configured_and_down(rasa_stack: Settings, tmp_path: Path) -> None:
    settings = rasa_stack.copy(
        update={
            "database_url": f"sqlite:///{tmp_path / 'gw.db'}",
            "redis_url": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        }
    )
    with TestClient(create_app(settings)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["redis"] and body["components"]["redis"] == "down"
    assert body["message"].startswith("Indisponible : Redis (redis).")
