"""The supervisor's indicators page and the console's review screen in headless Chromium, against
a real gateway (uvicorn) over a generated month of records; no Rasa needed.

The administrator reads the figures (the same as /api/stats), the charts drawn by the vendored
Chart.js, filters by channel, is told about a bad filter, and downloads both CSV exports; an agent
is refused. On the review screen an agent labels and discards messages; the admin exports them.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from assistant.auth.repository import AgentRepository
from assistant.config import Settings
from assistant.review.repository import ReviewRepository
from assistant.storage import Database
from bench.stats_data import generate, write
from tests.conftest import make_settings
from tests.e2e.conftest import PASSWORD, serve, watch
from tests.e2e.dashboard_support import SCREENSHOTS, TIMEOUT_MS, watch_scripts
from tests.helpers import free_port

DAYS = 30


async def prepare(settings: Settings) -> list[str]:
    """A month of records ending yesterday, two accounts, and the first conversations' ids."""
    database = Database(settings.sqlalchemy_url)
    await database.start()
    try:
        agents = AgentRepository(database)
        await agents.add("amelie", PASSWORD, "admin", "Amélie Admin")
        await agents.add("bruno", PASSWORD, "agent", "Bruno Petit")
        start = datetime.now(timezone.utc) - timedelta(days=DAYS + 1)
        rows = generate(6_000, start, DAYS, seed=7)
        await write(database, rows)
        ids = [row[0] for row in rows.tables["conversations"][:3]]
        review = ReviewRepository(database)
        await review.enqueue(
            ids[0], "web", None, "misunderstood", "je veux changer l'adresse de ma carte grise"
        )
        await review.enqueue(ids[1], "sms", None, "csat_negative", "mon mail est paul@exemple.fr aidez moi")
        return ids
    finally:
        await database.stop()


@pytest.fixture
def gateway_url(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    settings = make_settings(
        tmp_path, port=port, public_base_url=f"http://127.0.0.1:{port}", rasa_url="http://127.0.0.1:9"
    )
    asyncio.run(prepare(settings))
    with serve(settings, "stats-gateway") as url:
        yield url


def login(page: Page, url: str, path: str, username: str) -> None:
    page.goto(url + path)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def api_json(page: Page, path: str) -> Any:
    response = page.request.get(path)
    assert response.ok, (path, response.status, response.text())
    return response.json()


def tile(page: Page, name: str) -> Any:
    return page.locator(f'#tiles [data-figure="{name}"] .tile-value')


def test_the_supervisor_reads_filters_and_exports(gateway_url: str, browser: Browser) -> None:
    viewport = {"width": 1280, "height": 1000}
    context = browser.new_context(
        base_url=gateway_url, viewport=viewport, locale="fr-FR", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    dialogs, errors, csp = watch(page)
    failed = watch_scripts(page)
    login(page, gateway_url, "/admin/stats", "amelie")
    view = page.locator("#dashboard-view")
    expect(view).to_have_attribute("data-state", "ready")
    query = view.get_attribute("data-query") or ""
    stats = api_json(page, "/api/stats" + query)
    assert stats["conversations"] > 300 and stats["series"]
    expect(tile(page, "conversations")).to_have_text(str(stats["conversations"]))
    expect(tile(page, "containment")).to_have_text(
        f"{stats['containment_rate'] * 100:.1f} %".replace(".", ",")
    )
    expect(tile(page, "handoffs")).to_have_text(str(stats["handoffs"]["total"]))
    expect(page.locator("#series-table tbody tr")).to_have_count(len(stats["series"]))
    expect(page.locator("#situations-table tbody tr")).to_have_count(len(stats["by_situation"]))
    # Chart.js drew the three charts, with the API's numbers.
    drawn = page.evaluate(
        """() => ["chart-volume", "chart-quality", "chart-reasons"].map((id) => {
            const chart = window.Chart.getChart(document.getElementById(id));
            return chart ? [chart.data.labels.length, chart.data.datasets[0].data, chart.width] : null;
        })"""
    )
    assert drawn[0][0] == len(stats["series"]) and drawn[0][1] == [
        p["conversations"] for p in stats["series"]
    ]
    assert drawn[2][1] == list(stats["handoffs"]["by_reason"].values())
    assert all(chart is not None and chart[2] > 100 for chart in drawn)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "stats-dashboard.png"), full_page=True)

    # Filter by channel: the figures are those of the API for the same filters.
    page.get_by_label("Canal").select_option("sms")
    page.get_by_role("button", name="Afficher").click()
    sms_query = query.replace("&interval=", "&channel=sms&interval=")
    expect(view).to_have_attribute("data-query", sms_query)
    sms = api_json(page, "/api/stats" + sms_query)
    assert 0 < sms["conversations"] < stats["conversations"]
    expect(tile(page, "conversations")).to_have_text(str(sms["conversations"]))

    # The CSV exports of the same filters.
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter les courbes (CSV)").click()
    assert download.value.suggested_filename == "indicateurs.csv"
    table = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert table[0][0] == "periode" and len(table) == len(sms["series"]) + 1
    with page.expect_download() as download:
        page.get_by_role("button", name="Données ouvertes (CSV)").click()
    opendata = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert opendata and {r["canal"] for r in opendata} == {"sms"}

    # A bad filter: the server's French message, nothing broken.
    page.get_by_role("textbox", name="Situation").fill("pas une fiche")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#filters-error")).to_contain_text("Situation invalide")
    assert (dialogs, errors, csp, failed) == ([], [], [], [])
    context.close()


def test_an_agent_is_refused_the_indicators(gateway_url: str, browser: Browser) -> None:
    page = browser.new_page(base_url=gateway_url)
    page.set_default_timeout(TIMEOUT_MS)
    login(page, gateway_url, "/admin/stats", "bruno")
    expect(page.locator("#refused-view")).to_be_visible()
    expect(page.locator("#dashboard-view")).to_be_hidden()
    assert page.request.get("/api/stats").status == 403


def test_review_screen_labels_discards_and_exports(gateway_url: str, browser: Browser) -> None:
    agent = browser.new_page(base_url=gateway_url)
    agent.set_default_timeout(TIMEOUT_MS)
    dialogs, errors, csp = watch(agent)
    login(agent, gateway_url, "/console/review", "bruno")
    expect(agent.locator("#review-view")).to_have_attribute("data-ready", "true")
    items = agent.locator("#review-list .review-item")
    total = api_json(agent, "/api/review")["total"]
    assert total > 2  # the generated month's misunderstood messages and the two above
    expect(agent.locator("#review-count")).to_have_text(f"{total} messages")
    expect(agent.locator("#export-box")).to_be_hidden()  # exporting is for administrators
    carte = items.filter(has_text="carte grise")
    expect(agent.locator("#review-list")).to_contain_text("[adresse e-mail masquée]")
    expect(agent.locator("#review-list")).not_to_contain_text("paul@exemple.fr")
    agent.screenshot(path=str(SCREENSHOTS / "review-screen.png"))
    carte.get_by_label("Étiquette").fill("F1350")
    carte.get_by_role("button", name="Étiqueter").click()
    expect(agent.locator("#review-count")).to_have_text(f"{total - 1} messages")
    mail = items.filter(has_text="aidez moi")
    mail.get_by_role("button", name="Écarter").click()
    expect(agent.locator("#review-count")).to_have_text(f"{total - 2} messages")
    labelled = api_json(agent, "/api/review?status=labelled")["items"]
    assert [(i["label_kind"], i["label"], i["reviewed_by"]) for i in labelled] == [
        ("situation", "F1350", "bruno")
    ]
    assert (dialogs, errors, csp) == ([], [], [])

    admin = browser.new_page(base_url=gateway_url, accept_downloads=True)
    admin.set_default_timeout(TIMEOUT_MS)
    login(admin, gateway_url, "/console/review", "amelie")
    expect(admin.locator("#export-box")).to_be_visible()
    with admin.expect_download() as download:
        admin.get_by_role("button", name="Exporter les messages étiquetés (YAML Rasa)").click()
    data = yaml.safe_load(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["nlu"] == [
        {"intent": "situation_F1350", "examples": [{"text": "je veux changer l'adresse de ma carte grise"}]}
    ]
