"""The agent console page and its static files: headers, content types, no way out of the directory."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

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


def test_the_page_is_served_with_strict_security_headers(client: TestClient) -> None:
    response = client.get("/console")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"] and directives["connect-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"] and directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    page = response.text
    assert '<html lang="fr">' in page and "<main" in page and "<h1" in page
    assert '<script src="/console/static/console.js" defer></script>' in page
    assert '<link rel="stylesheet" href="/console/static/console.css">' in page
    # No inline script or style, no event handler attribute, nothing loaded from elsewhere.
    assert "<script>" not in page and "<style" not in page and " onclick=" not in page
    assert "http://" not in page and "https://" not in page
    assert 'role="status"' in page and 'aria-live="polite"' in page


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("console.js", "text/javascript; charset=utf-8"), ("console.css", "text/css; charset=utf-8")],
)
def test_static_files_have_their_content_type(client: TestClient, name: str, content_type: str) -> None:
    response = client.get(f"/console/static/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content


def test_the_script_never_inserts_html() -> None:
    source = (Path(__file__).resolve().parents[2] / "assistant/static/console/console.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source


@pytest.mark.parametrize(
    "path", ["/console/static/nope.js", "/console/static/console.exe", "/console/static/", "/console/x"]
)
def test_unknown_static_path_is_a_json_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "raw_path",
    [
        "/console/static/../../config.py",
        "/console/static/../../../pyproject.toml",
        "/console/static/%2e%2e/%2e%2e/config.py",
        "/console/static/..%2f..%2fconfig.py",
        "/console/static/%2e%2e%2f%2e%2e%2fconfig.py",
        "/console/static/..%5c..%5cconfig.py",
        "/console/static/%252e%252e%252fconfig.py",
        "/console/static/.%2e/.%2e/gateway/app.py",
        "/console/static/..",
        "/console/static/.console.js",
        "/console/static/console.js%00.css",
        "/console/static//etc/passwd",
    ],
)
def test_no_path_traversal(app: FastAPI, raw_path: str) -> None:
    status, headers, body = raw_get(app, raw_path)
    assert status == 404, raw_path
    assert headers["content-type"].startswith("application/json")
    assert b"import" not in body and b"[project]" not in body and b"root:" not in body


def test_the_raw_request_helper_reaches_real_files(app: FastAPI) -> None:
    status, headers, body = raw_get(app, "/console/static/console.css")
    assert status == 200 and headers["content-type"] == "text/css; charset=utf-8" and body


def test_traversal_through_an_http_client_too(client: TestClient) -> None:
    for path in ("/console/static/../../config.py", "/console/static/%2e%2e/%2e%2e/config.py"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
