"""Issue #27: what the gateway shows and lets anyone do: the Host header never reflected as is,
conversations opened per client address limited, /metrics closed without its token, var/ private."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.gateway.app import create_app
from tests.conftest import make_settings


@pytest.mark.parametrize(
    "host",
    [
        "evil.example; script-src *",
        'evil.example"><script>alert(1)</script>',
        "evil.example/x?",
        "a b",
    ],
)
def test_a_hostile_host_header_is_never_reflected(tmp_path: Path, host: str) -> None:
    with TestClient(create_app(make_settings(tmp_path))) as client:
        response = client.get("/", headers={"Host": host})
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "evil" not in csp and "script-src *" not in csp and "<script>alert" not in response.text
    assert "evil" not in response.text
    assert 'src="http://127.0.0.1:8000/widget.js"' in response.text  # HOST:PORT from the settings


def test_a_plain_host_is_used_and_public_base_url_wins(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path))) as client:
        plain = client.get("/", headers={"Host": "mairie.example:8443"})
    assert 'src="http://mairie.example:8443/widget.js"' in plain.text
    assert "connect-src 'self' ws://mairie.example:8443" in plain.headers["content-security-policy"]
    settings = make_settings(tmp_path, public_base_url="https://demarches.example")
    with TestClient(create_app(settings)) as client:
        public = client.get("/", headers={"Host": "mairie.example"})
    assert 'src="https://demarches.example/widget.js"' in public.text
    assert "wss://demarches.example" in public.headers["content-security-policy"]


def test_conversation_creation_is_limited_per_client(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, conversations_per_client=3))) as client:
        statuses = [client.post("/api/conversations").status_code for _ in range(5)]
        refused = client.post("/api/conversations", headers={"X-Forwarded-For": "198.51.100.7"})
    assert statuses == [201, 201, 201, 429, 429]
    assert refused.status_code == 429  # no proxy trusted: the header changes nothing
    assert refused.json()["error"]["message"].startswith("Vous avez ouvert beaucoup de conversations")


def test_metrics_are_closed_without_their_token(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path))) as client:
        assert client.get("/metrics").status_code == 404
        assert client.get("/livez").json() == {"status": "ok"}


def test_files_under_var_are_private(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir()
    old = var / "ancien.db"
    old.write_text("x")
    old.chmod(0o644)
    settings = make_settings(var, database_url=f"sqlite:///{var / 'assistant.db'}")
    with TestClient(create_app(settings)) as client:
        client.post("/api/conversations")
    for path in [var, *var.iterdir()]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path.name, oct(mode))
    assert (var / "assistant.db").exists()
