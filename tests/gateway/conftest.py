"""What the tests of the gateway's own pages share: an app, its client, raw requests, page checks."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.gateway.app import create_app
from tests.conftest import make_settings


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return create_app(make_settings(tmp_path))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def raw_get(app: FastAPI, raw_path: str) -> tuple[int, dict[str, str], bytes]:
    """Send a path exactly as given (HTTP clients normalise `..`; attackers do not)."""
    path, _, query = raw_path.partition("?")
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": unquote(path),  # what uvicorn does with the request target
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], headers, body


def assert_strict_page_headers(response: httpx.Response) -> str:
    """An HTML page under the strict policy (no inline code, nothing from elsewhere); its CSP."""
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp: str = response.headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"] and directives["connect-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"] and directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    return csp


def assert_static_file(response: httpx.Response, content_type: str) -> None:
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["x-content-type-options"] == "nosniff"


def assert_json_404(response: httpx.Response) -> None:
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"


def assert_traversal_refused(app: FastAPI, raw_path: str) -> bytes:
    """A raw path that tries to leave a static directory: a JSON 404 that shows no file; its body."""
    status, headers, body = raw_get(app, raw_path)
    assert status == 404, raw_path
    assert headers["content-type"].startswith("application/json")
    assert b"import" not in body and b"[project]" not in body and b"root:" not in body
    return body
