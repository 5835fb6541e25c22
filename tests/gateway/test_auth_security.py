"""Issue #27: login limits (per client address, globally), trusted proxies only, login CSRF,
logout that revokes bearer tokens, and the administration of agents' sessions and tokens."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.gateway.app import create_app
from tests.conftest import make_settings

PASSWORD = "mot-de-passe-solide"


def _client(tmp_path: Path, **overrides: Any) -> TestClient:
    return TestClient(create_app(make_settings(tmp_path, login_refusal_delay=0, **overrides)))


def _add(client: TestClient, username: str, role: str = "agent") -> int:
    state = client.app.state.services  # type: ignore[attr-defined]
    agent = client.portal.call(state.agents.add, username, PASSWORD, role)  # type: ignore[union-attr]
    return int(agent.id)


def _token(client: TestClient, username: str, **headers: str) -> str:
    response = client.post(
        "/api/auth/token", data={"username": username, "password": PASSWORD}, headers=headers
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def _bad_login(client: TestClient, **headers: str) -> int:
    form = {"username": secrets.token_hex(6), "password": "mauvais"}
    return client.post("/api/auth/token", data=form, headers=headers).status_code


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[TestClient]:
    with _client(tmp_path, login_attempts_per_client=4, login_attempts_global=1000) as client:
        yield client


def test_random_usernames_from_one_address_are_limited(limited: TestClient) -> None:
    """The per-username limit alone let a flood of random usernames through."""
    statuses = [_bad_login(limited) for _ in range(6)]
    assert statuses == [401] * 4 + [429] * 2
    refused = limited.post("/api/auth/token", data={"username": "x", "password": "y"})
    assert refused.json()["error"]["message"].startswith("Trop de tentatives")
    assert refused.headers["retry-after"] == "60"


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(limited: TestClient) -> None:
    """FORWARDED_ALLOW_IPS is empty by default: rotating X-Forwarded-For resets nothing."""
    statuses = [_bad_login(limited, **{"X-Forwarded-For": f"10.0.0.{i}"}) for i in range(1, 7)]
    assert statuses == [401] * 4 + [429] * 2


def test_a_trusted_proxy_gives_the_client_address(tmp_path: Path) -> None:
    with _client(
        tmp_path, login_attempts_per_client=2, login_attempts_global=5, forwarded_allow_ips="testclient"
    ) as client:
        first = [_bad_login(client, **{"X-Forwarded-For": "203.0.113.1"}) for _ in range(3)]
        assert first == [401, 401, 429]  # one client behind the proxy: its own limit
        others = [_bad_login(client, **{"X-Forwarded-For": f"203.0.113.{i}"}) for i in range(2, 8)]
        # every address is new, but the global limit (5 in the window) holds them all
        assert others == [401, 401, 401, 429, 429, 429]


def test_session_login_from_another_site_is_refused(tmp_path: Path) -> None:
    """Login CSRF: a form on another site cannot log a victim into the attacker's account."""
    with _client(tmp_path) as client:
        _add(client, "claire")
        form = {"username": "claire", "password": PASSWORD}
        forged = client.post("/api/auth/session", data=form, headers={"Origin": "https://evil.example"})
        assert forged.status_code == 403 and "console" in forged.json()["error"]["message"]
        assert "console_session" not in forged.cookies
        fetch_meta = client.post("/api/auth/session", data=form, headers={"Sec-Fetch-Site": "cross-site"})
        assert fetch_meta.status_code == 403
        own = client.post("/api/auth/session", data=form, headers={"Origin": "http://testserver"})
        assert own.status_code == 200 and own.json()["csrf_token"]


def test_logout_revokes_a_bearer_token(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        _add(client, "claire")
        token = _token(client, "claire")
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/auth/me", headers=auth).status_code == 200
        assert client.post("/api/auth/logout", headers=auth).status_code == 204
        assert client.get("/api/auth/me", headers=auth).status_code == 401


def test_admins_list_and_revoke_sessions_and_tokens(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        _add(client, "admin", "admin")
        claire = _add(client, "claire")
        admin = {"Authorization": f"Bearer {_token(client, 'admin')}"}
        first, second = _token(client, "claire"), _token(client, "claire")
        listed = client.get(f"/api/admin/agents/{claire}/tokens", headers=admin).json()["tokens"]
        assert [t["kind"] for t in listed] == ["api", "api"]
        assert all(first not in str(t) and second not in str(t) for t in listed)  # ids, never tokens
        agent_only = client.get(
            f"/api/admin/agents/{claire}/tokens", headers={"Authorization": f"Bearer {first}"}
        )
        assert agent_only.status_code == 403
        revoked = client.delete(f"/api/admin/agents/{claire}/tokens/{listed[0]['token_id']}", headers=admin)
        assert revoked.status_code == 204
        alive = [
            client.get("/api/auth/me", headers={"Authorization": f"Bearer {t}"}).status_code
            for t in (first, second)
        ]
        assert sorted(alive) == [200, 401]  # exactly the one revoked
        assert (
            client.delete(f"/api/admin/agents/{claire}/tokens/0000000000000000", headers=admin).status_code
            == 404
        )
        assert client.delete(f"/api/admin/agents/{claire}/tokens/pas-un-id", headers=admin).status_code == 404
        assert client.delete(f"/api/admin/agents/{claire}/tokens", headers=admin).json() == {"revoked": 1}
        assert all(
            client.get("/api/auth/me", headers={"Authorization": f"Bearer {t}"}).status_code == 401
            for t in (first, second)
        )


def test_admins_disable_and_delete_agents(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        admin_id = _add(client, "admin", "admin")
        claire = _add(client, "claire")
        admin = {"Authorization": f"Bearer {_token(client, 'admin')}"}
        token = _token(client, "claire")
        disabled = client.post(f"/api/admin/agents/{claire}/disable", headers=admin)
        assert disabled.status_code == 200 and disabled.json()["active"] is False
        assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
        refused = client.post("/api/auth/token", data={"username": "claire", "password": PASSWORD})
        assert refused.status_code == 401
        accounts = client.get("/api/admin/agents", headers=admin).json()["agents"]
        assert {a["username"]: a["active"] for a in accounts} == {"admin": True, "claire": False}
        assert client.post(f"/api/admin/agents/{claire}/enable", headers=admin).status_code == 200
        _token(client, "claire")
        assert client.delete(f"/api/admin/agents/{admin_id}", headers=admin).status_code == 409
        assert client.delete(f"/api/admin/agents/{claire}", headers=admin).status_code == 204
        assert client.delete(f"/api/admin/agents/{claire}", headers=admin).status_code == 404
        assert client.delete("/api/admin/agents/0", headers=admin).status_code == 422
        gone = client.post("/api/auth/token", data={"username": "claire", "password": PASSWORD})
        assert gone.status_code == 401
