"""The agent console page and its static files: headers, content types, no way out of the directory."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.gateway.conftest import (
    assert_json_404,
    assert_static_file,
    assert_strict_page_headers,
    assert_traversal_refused,
    raw_get,
)

STATIC_ROOT = Path(__file__).resolve().parents[2] / "assistant" / "static"
# Where each flat static directory is served, and the script the widget's tag loads.
SERVED_AT = {
    "common": "/common/static/",
    "console": "/console/static/",
    "admin": "/admin/static/",
    "widget": "/widget/static/",
    "stats": "/admin/stats/static/",
    "review": "/console/review/static/",
}
WIDGET_LOADER = STATIC_ROOT / "widget" / "widget.js"
# `import … from "x"`, `export … from "x"`, and `import(gateway + "x")` (the widget's loader).
IMPORTS = re.compile(
    r"""^\s*(?:import|export)\s[^;"']*?\bfrom\s*["']([^"']+)["']"""
    r"""|\bimport\(\s*(?:\w+\s*\+\s*)?["']([^"']+)["']\s*\)""",
    re.MULTILINE,
)


def test_the_page_is_served_with_strict_security_headers(client: TestClient) -> None:
    response = client.get("/console")
    assert_strict_page_headers(response)
    page = response.text
    assert '<html lang="fr">' in page and "<main" in page and "<h1" in page
    # One module script: it imports the console's other modules and the common ones.
    assert '<script type="module" src="/console/static/console.js"></script>' in page
    assert page.count("<script") == 1
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
    assert_static_file(response, content_type)
    assert response.content


def test_the_script_never_inserts_html() -> None:
    ours = [p for p in (STATIC_ROOT / "stats").glob("*.js") if p.name != "chartjs.js"]  # Chart.js: vendored
    for path in [
        *(STATIC_ROOT / "console").glob("*.js"),
        *(STATIC_ROOT / "common").glob("*.js"),
        *(STATIC_ROOT / "review").glob("*.js"),
        *ours,
    ]:
        source = path.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, path


def test_every_script_is_short_and_every_import_is_served(client: TestClient) -> None:
    scripts = sorted(STATIC_ROOT.rglob("*.js"))
    assert len(scripts) > 4
    for path in scripts:
        assert path.parent.parent == STATIC_ROOT, f"{path}: static directories are flat"
        source = path.read_text(encoding="utf-8")
        assert len(source.splitlines()) < 400, path
        url = SERVED_AT[path.parent.name] + path.name
        assert client.get(url).content == path.read_bytes(), url
        for found in IMPORTS.findall(source):
            specifier = found[0] or found[1]
            # What the browser fetches: the specifier resolved against the importing module's URL
            # (the loader's dynamic import is against the gateway's root).
            target = urljoin("/" if path == WIDGET_LOADER else url, specifier)
            response = client.get(target)
            assert_static_file(response, "text/javascript; charset=utf-8")
            assert response.content, (path, specifier)
            if path.parent.name == "widget":
                # Imported from the embedding site's origin: module scripts need CORS.
                assert response.headers["access-control-allow-origin"] == "*", target
                assert response.headers["cross-origin-resource-policy"] == "cross-origin", target
    # Every module of the widget is imported (the loader's import is found too).
    widget_imports = {
        found[0] or found[1]
        for p in (STATIC_ROOT / "widget").glob("*.js")
        for found in IMPORTS.findall(p.read_text(encoding="utf-8"))
    }
    assert {Path(spec).name for spec in widget_imports} == {
        p.name for p in (STATIC_ROOT / "widget").glob("*.js") if p != WIDGET_LOADER
    }


@pytest.mark.parametrize(
    "path", ["/console/static/nope.js", "/console/static/console.exe", "/console/static/", "/console/x"]
)
def test_unknown_static_path_is_a_json_404(client: TestClient, path: str) -> None:
    assert_json_404(client.get(path))


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
    assert_traversal_refused(app, raw_path)


def test_the_raw_request_helper_reaches_real_files(app: FastAPI) -> None:
    status, headers, body = raw_get(app, "/console/static/console.css")
    assert status == 200 and headers["content-type"] == "text/css; charset=utf-8" and body


def test_traversal_through_an_http_client_too(client: TestClient) -> None:
    for path in ("/console/static/../../config.py", "/console/static/%2e%2e/%2e%2e/config.py"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
