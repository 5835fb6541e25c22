"""`/api/stats` and its CSV exports over HTTP: admins only, bad input as a 4xx JSON error."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.gateway.app import create_app
from tests.conftest import add_agent, make_settings
from tests.stats.dataset import load

WEEK = "from=2026-11-02&to=2026-11-08"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(tmp_path))) as test_client:
        state = test_client.app.state.services  # type: ignore[attr-defined]
        test_client.portal.call(load, state.database)  # type: ignore[union-attr]
        yield test_client


@pytest.fixture
def admin(client: TestClient) -> dict[str, str]:
    return {"Authorization": "Bearer " + add_agent(client, "superviseure", role="admin")}


def test_the_week_over_http(client: TestClient, admin: dict[str, str]) -> None:
    body = client.get(f"/api/stats?{WEEK}&interval=day", headers=admin).json()
    assert body["period"] == {"from": "2026-11-02", "to": "2026-11-08", "channel": None, "situation": None}
    assert (body["conversations"], body["contained"], body["containment_rate"]) == (6, 3, 0.5)
    assert body["handoffs"]["by_reason"] == {"explicit_request": 1, "misunderstood": 1}
    assert body["csat"]["responses"] == 3 and body["misunderstood_rate"] == 0.2308
    assert len(body["series"]) == 6
    sms = client.get(f"/api/stats?{WEEK}&channel=sms&situation=F14128", headers=admin).json()
    assert sms["conversations"] == 1 and sms["csat"]["mean"] == 2.0


def test_admins_only(client: TestClient) -> None:
    assert client.get(f"/api/stats?{WEEK}").status_code == 401
    agent = {"Authorization": "Bearer " + add_agent(client, "conseiller")}
    for path in ("/api/stats", "/api/stats/opendata.csv", "/api/stats/series.csv"):
        response = client.get(f"{path}?{WEEK}", headers=agent)
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-13-01&to=2026-11-08",
        "from=hier",
        "from=2026-11-08&to=2026-11-02",
        "from=2025-01-01&to=2026-11-08",
        "channel=fax",
        "situation=../../etc",
        "interval=month",
        "from=2026-02-30",
    ],
)
def test_bad_input_is_a_4xx_json_error(client: TestClient, admin: dict[str, str], query: str) -> None:
    paths = ["/api/stats"] + (["/api/stats/opendata.csv"] if "interval" not in query else [])
    for path in paths:
        response = client.get(f"{path}?{query}", headers=admin)
        assert response.status_code == 422, (path, query, response.text)
        assert response.json()["error"]["message"]


def test_csv_exports(client: TestClient, admin: dict[str, str]) -> None:
    series = client.get(f"/api/stats/series.csv?{WEEK}&interval=week", headers=admin)
    assert series.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(series.text.lstrip("\ufeff"))))
    assert table[0][:4] == ["periode", "conversations", "conversations_autonomes", "taux_autonomie"]
    assert table[1][:4] == ["2026-11-02", "6", "3", "0.5"]
    opendata = client.get(f"/api/stats/opendata.csv?{WEEK}", headers=admin)
    rows = list(csv.DictReader(io.StringIO(opendata.text)))
    assert {r["canal"] for r in rows} == {"web", "sms", "telegram"}
    assert all(r["conversations"] == "" for r in rows)  # one conversation per row: all under 5
    assert "conv-" not in opendata.text and "+336" not in opendata.text  # nothing personal
