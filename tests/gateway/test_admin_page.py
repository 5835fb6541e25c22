"""The feedback dashboard page and its static files: headers, content types, no way out of the directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.feedback import CATEGORIES
from tests.gateway.conftest import (
    assert_json_404,
    assert_static_file,
    assert_strict_page_headers,
    assert_traversal_refused,
    raw_get,
)

STATIC = Path(__file__).resolve().parents[2] / "assistant" / "static" / "admin"
COMMON = STATIC.parent / "common"


def test_the_page_is_served_with_strict_security_headers(client: TestClient) -> None:
    response = client.get("/admin/feedback")
    csp = assert_strict_page_headers(response)
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    # The same policy as the agent console.
    assert csp == client.get("/console").headers["content-security-policy"]
    page = response.text
    assert '<html lang="fr">' in page and "<main" in page and "<h1" in page and "<header" in page
    # One module script: it imports the dashboard's other modules and the common ones.
    assert '<script type="module" src="/admin/static/dashboard.js"></script>' in page
    assert page.count("<script") == 1
    assert '<link rel="stylesheet" href="/admin/static/dashboard.css">' in page
    # No inline script or style, no event handler attribute, nothing loaded from elsewhere.
    assert "<script>" not in page and "<style" not in page and " style=" not in page
    assert " onclick=" not in page and " onerror=" not in page
    assert "http://" not in page and "https://" not in page
    assert 'role="status"' in page and 'aria-live="polite"' in page
    assert 'id="results-count"' in page
    # Every category is offered as a filter, with its French label.
    for key, label in CATEGORIES.items():
        assert f'<option value="{key}">' in page and label.replace("'", "&#39;") in page
    # Every form control has a label.
    for control in ("filter-from", "filter-to", "filter-document", "filter-organisation", "filter-category"):
        assert f'<label for="{control}">' in page


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("dashboard.js", "text/javascript; charset=utf-8"), ("dashboard.css", "text/css; charset=utf-8")],
)
def test_static_files_have_their_content_type(client: TestClient, name: str, content_type: str) -> None:
    response = client.get(f"/admin/static/{name}")
    assert_static_file(response, content_type)
    assert response.content == (STATIC / name).read_bytes()


def test_the_console_still_serves_its_own_files(client: TestClient) -> None:
    assert client.get("/console/static/console.js").status_code == 200
    # Each page reads only its own directory.
    assert client.get("/console/static/dashboard.js").status_code == 404
    assert client.get("/admin/static/console.js").status_code == 404


def test_the_script_never_inserts_html() -> None:
    sources = [p.read_text(encoding="utf-8") for p in [*STATIC.glob("*.js"), *COMMON.glob("*.js")]]
    assert len(sources) > 2
    for source in sources:
        for sink in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            'setAttribute("style',
        ):
            assert sink not in source
    assert "textContent" in "".join(sources)


def test_the_page_holds_no_data_and_the_api_stays_admin_only(client: TestClient) -> None:
    # The page is the same for everyone; the reports only come from the admin API.
    assert client.get("/api/feedback").status_code == 401
    assert client.get("/api/feedback/stats").status_code == 401


@pytest.mark.parametrize(
    "path",
    ["/admin/static/nope.js", "/admin/static/dashboard.exe", "/admin/static/", "/admin/x", "/admin"],
)
def test_unknown_static_path_is_a_json_404(client: TestClient, path: str) -> None:
    assert_json_404(client.get(path))


@pytest.mark.parametrize(
    "raw_path",
    [
        "/admin/static/../../config.py",
        "/admin/static/../../../pyproject.toml",
        "/admin/static/../console/console.js",
        "/admin/static/%2e%2e/%2e%2e/config.py",
        "/admin/static/..%2f..%2fconfig.py",
        "/admin/static/..%2fconsole%2fconsole.js",
        "/admin/static/%2e%2e%2f%2e%2e%2fconfig.py",
        "/admin/static/..%5c..%5cconfig.py",
        "/admin/static/%252e%252e%252fconfig.py",
        "/admin/static/.%2e/.%2e/gateway/app.py",
        "/admin/static/..",
        "/admin/static/.dashboard.js",
        "/admin/static/dashboard.js%00.css",
        "/admin/static//etc/passwd",
        "/admin/static/DASHBOARD.JS",
    ],
)
def test_no_path_traversal(app: FastAPI, raw_path: str) -> None:
    body = assert_traversal_refused(app, raw_path)
    assert b"use strict" not in body


def test_the_raw_request_helper_reaches_real_files(app: FastAPI) -> None:
    status, headers, body = raw_get(app, "/admin/static/dashboard.css")
    assert status == 200 and headers["content-type"] == "text/css; charset=utf-8" and body


def test_traversal_through_an_http_client_too(client: TestClient) -> None:
    for path in ("/admin/static/../../config.py", "/admin/static/%2e%2e/%2e%2e/config.py"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
