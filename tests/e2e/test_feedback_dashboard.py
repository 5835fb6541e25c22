"""The feedback dashboard in a real browser (headless Chromium) against a real gateway.

An agent is refused; an administrator, using the keyboard, logs in, filters the reports, reads the
charts, opens a report whose description is HTML (it shows as text), and downloads the exports.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from assistant.config import Settings
from tests.e2e.conftest import serve, server_settings, watch
from tests.e2e.dashboard_support import (
    CARTE_GRISE,
    FORMULA,
    SCREENSHOTS,
    TIMEOUT_MS,
    XSS,
    Gateway,
    api_json,
    expect_results,
    login_with_keyboard,
    prepare_reports,
    reports,
    watch_scripts,
)


@pytest.fixture
def gateway_server(rasa_stack: Settings, tmp_path: Path) -> Iterator[Gateway]:
    """The gateway served by uvicorn on a free local port, with its own SQLite file."""
    settings = server_settings(rasa_stack, tmp_path / "dashboard.db")
    references = asyncio.run(prepare_reports(settings))
    with serve(settings, "dashboard-gateway") as url:
        yield Gateway(url=url, settings=settings, references=references)


def expect_charts(page: Page, query: str) -> None:
    for chart in ("#chart-documents", "#chart-weeks"):
        expect(page.locator(chart)).to_have_attribute("data-query", query)
        expect(page.locator(chart)).to_have_attribute("data-state", "ready")


def check_charts_match_the_stats(page: Page, query: str) -> dict[str, Any]:
    stats: dict[str, Any] = api_json(page, "/api/feedback/stats" + query)
    documents = page.locator("#chart-documents-bars .bar-row")
    expect(documents).to_have_count(min(10, len(stats["by_document"])))
    for entry in stats["by_document"][:10]:
        row = page.locator(f'#chart-documents-bars .bar-row[data-key="{entry["key"]}"]')
        expect(row).to_have_attribute("data-count", str(entry["count"]))
        expect(row.locator(".bar-count")).to_have_text(str(entry["count"]))
        expect(row.locator(".bar-label")).to_contain_text(entry["label"])
    # The text alternative holds the same numbers.
    hidden_rows = page.locator("#chart-documents-table tbody tr")
    expect(hidden_rows).to_have_count(min(10, len(stats["by_document"])))
    expect(hidden_rows.first.locator("td")).to_have_text(str(stats["by_document"][0]["count"]))
    # The most reported document has the longest bar.
    widths = [
        (row.get_attribute("data-count"), row.locator(".fill").bounding_box()) for row in documents.all()
    ]
    longest = max(widths, key=lambda w: w[1]["width"] if w[1] else 0)
    assert longest[0] == str(stats["by_document"][0]["count"])

    weeks = page.locator("#chart-weeks-bars .bar-row")
    expect(weeks).to_have_count(len(stats["by_week"]))
    for week in stats["by_week"]:
        row = page.locator(f'#chart-weeks-bars .bar-row[data-week="{week["key"]}"]')
        expect(row).to_have_attribute("data-reports", str(week["count"]))
    # One series per category: the filtered one, or every category present.
    params = dict(parse_qsl(query.lstrip("?")))
    keys = [params["category"]] if "category" in params else [c["key"] for c in stats["by_category"]]
    for key in keys:
        per_week = api_json(page, "/api/feedback/stats?" + urlencode({**params, "category": key}))
        for week in per_week["by_week"]:
            week_row = page.locator(f'#chart-weeks-bars .bar-row[data-week="{week["key"]}"]')
            segment = week_row.locator(f'.fill[data-category="{key}"]')
            expect(segment).to_have_attribute("data-count", str(week["count"]))
        shown = page.locator(f'#chart-weeks-bars .fill[data-category="{key}"]')
        expect(shown).to_have_count(len(per_week["by_week"]))
    expect(page.locator("#chart-weeks-bars .fill")).to_have_count(
        sum(
            len(api_json(page, "/api/feedback/stats?" + urlencode({**params, "category": k}))["by_week"])
            for k in keys
        )
    )
    expect(page.locator("#chart-weeks-table tbody tr")).to_have_count(len(stats["by_week"]))
    expect(page.locator("#chart-weeks-legend li")).to_have_count(len(keys))
    return stats


def test_an_agent_is_refused(gateway_server: Gateway, browser: Browser) -> None:
    context = browser.new_context(
        base_url=gateway_server.url, viewport={"width": 1024, "height": 800}, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    failed_scripts = watch_scripts(page)
    login_with_keyboard(page, gateway_server.url, "bruno")
    expect(page.locator("#refused-view")).to_be_visible()
    expect(page.locator("#refused-message")).to_contain_text("réservée aux administrateurs")
    expect(page.locator("#refused-message")).to_contain_text("« bruno »")
    expect(page.locator("#refused-title")).to_be_focused()
    expect(page.locator("#dashboard-view")).to_be_hidden()
    expect(page.locator("#results-body tr")).to_have_count(0)
    assert page.request.get("/api/feedback").status == 403
    # A reload keeps refusing; then the agent logs out to use another account.
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#refused-view")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter et changer de compte").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Identifiant")).to_be_focused()
    expect(page.locator("#refused-view")).to_be_hidden()
    assert failed_scripts == [], failed_scripts
    context.close()


def test_admin_reads_filters_and_exports_reports(gateway_server: Gateway, browser: Browser) -> None:
    context = browser.new_context(
        base_url=gateway_server.url,
        viewport={"width": 1280, "height": 900},
        locale="fr-FR",
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    dialogs, page_errors, csp_violations = watch(page)
    failed_scripts = watch_scripts(page)
    refs = gateway_server.references
    total = len(reports())

    # Keyboard only.
    login_with_keyboard(page, gateway_server.url, "amelie")
    expect(page.locator("#dashboard-view")).to_be_visible()
    expect(page.locator("#admin-name")).to_have_text("Amélie Admin")
    expect(page.locator("#dashboard-title")).to_be_focused()

    # The table and the total.
    expect_results(page, total, "")
    expect(page.locator("#results-count")).to_have_text(f"{total} signalements au total.")
    expect(page.locator("#results-count")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#results-body tr")).to_have_count(total)
    expect(page.locator("#page-info")).to_have_text("Page 1 sur 1")
    expect(page.locator("main img")).to_have_count(0)

    # Both charts, bars matching /api/feedback/stats.
    expect_charts(page, "")
    stats = check_charts_match_the_stats(page, "")
    assert stats["total"] == total and len(stats["by_week"]) == 3
    top = page.locator("#chart-documents-bars .bar-row").first
    expect(top).to_have_attribute("data-key", "R1232")  # five RSA reports
    expect(page.locator("#chart-documents-summary")).to_contain_text("Demande de RSA")

    # Pagination: ten a page, then the second page.
    page.get_by_label("Par page").select_option("10")
    expect(page.locator("#page-info")).to_have_text("Page 1 sur 2")
    expect(page.locator("#results-body tr")).to_have_count(10)
    page.get_by_role("button", name="Page suivante").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#page-info")).to_have_text("Page 2 sur 2")
    expect(page.locator("#results-body tr")).to_have_count(total - 10)
    expect(page.locator("#results-count")).to_contain_text("page 2 sur 2")
    expect(page.get_by_role("button", name="Page suivante")).to_be_disabled()

    # Filter by category, with the keyboard: the count and the charts follow.
    page.get_by_label("Catégorie", exact=True).focus()
    page.get_by_label("Catégorie", exact=True).select_option("jargon")
    page.keyboard.press("Tab")  # date, document, organisation, category, then the button
    expect(page.get_by_role("button", name="Appliquer les filtres")).to_be_focused()
    page.keyboard.press("Enter")
    jargon = api_json(page, "/api/feedback?category=jargon")["total"]
    assert jargon == 3
    expect_results(page, jargon, "?category=jargon")
    expect(page.locator("#results-count")).to_have_text("3 signalements correspondant aux filtres.")
    expect(page.locator("#results-body tr")).to_have_count(3)
    expect(page.locator("#page-info")).to_have_text("Page 1 sur 1")
    expect_charts(page, "?category=jargon")
    check_charts_match_the_stats(page, "?category=jargon")
    expect(page.locator("#chart-weeks-legend li")).to_have_text(["Vocabulaire, jargon"])

    # And by organisation too; then the category alone is cleared.
    page.get_by_label("Organisme", exact=True).fill("caf")
    page.get_by_label("Organisme", exact=True).press("Enter")
    expect_results(page, 1, "?organisation=caf&category=jargon")
    expect(page.locator("#results-count")).to_have_text("1 signalement correspondant aux filtres.")
    page.get_by_label("Catégorie", exact=True).select_option("")
    page.get_by_role("button", name="Appliquer les filtres").click()
    caf = api_json(page, "/api/feedback?organisation=caf")["total"]
    assert caf == 2
    expect_results(page, caf, "?organisation=caf")
    expect(page.locator("#results-body tr")).to_have_count(2)
    expect_charts(page, "?organisation=caf")
    check_charts_match_the_stats(page, "?organisation=caf")

    # CSV export of the current filters: the formula-like cell is neutralised.
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Exporter en CSV").focus()
        page.keyboard.press("Enter")
    download = csv_download.value
    assert download.suggested_filename == "signalements.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["Organisme"] for row in rows} == {"CAF"} and len(rows) == caf
    formula = next(row for row in rows if row["Référence"] == refs["formula"])
    assert formula["Description"] == "'" + FORMULA
    expect(page.locator("#announcer")).to_have_text("Export CSV prêt : fichier signalements.csv.")

    # The Services Publics+ style export, same filters.
    with page.expect_download() as json_download:
        page.get_by_role("button", name="Exporter en JSON (Services Publics+)").click()
    exported = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert {e["structure"] for e in exported["signalements"]} == {"CAF"}
    assert len(exported["signalements"]) == caf

    # Dates: only this week's reports.
    page.get_by_role("button", name="Effacer les filtres").click()
    expect_results(page, total, "")
    since_day = (datetime.now(timezone.utc) - timedelta(days=3)).date()
    since = since_day.isoformat()
    page.get_by_label("Du", exact=True).fill(since_day.strftime("%d/%m/%Y"))  # French, whatever the locale
    page.get_by_role("button", name="Appliquer les filtres").click()
    recent = api_json(page, f"/api/feedback?from={since}")["total"]
    assert recent == 5  # xss, formula, urssaf and two RSA reports
    expect_results(page, recent, f"?from={since}")

    # A click on a row opens the detail; the HTML in the description is only text.
    page.get_by_role("button", name="Effacer les filtres").click()
    expect_results(page, total, "")
    row = page.locator(f'#results-body tr[data-reference="{refs["xss"]}"]')
    row.locator("td").nth(1).click()
    detail = page.locator("#detail")
    expect(detail).to_be_visible()
    expect(page.locator("#detail-title")).to_be_focused()
    expect(page.locator("#detail-title")).to_have_text(f"Détail du signalement {refs['xss']}")

    def field(name: str) -> Locator:
        return page.locator(f'#detail-list dd[data-field="{name}"]')

    expect(field("Référence")).to_have_text(refs["xss"])
    expect(field("Description")).to_have_text(XSS)
    expect(field("Suggestion")).to_have_text(XSS + " <b>gras</b>")
    expect(field("Conversation")).to_contain_text(refs["conversation"])
    expect(field("Canal")).to_have_text("site web")
    expect(field("Document")).to_have_text(CARTE_GRISE["label"])
    expect(field("Type de document")).to_have_text("formulaire")
    expect(field("Numéro cerfa")).to_have_text("13750*07")
    expect(field("Organisme")).to_have_text("ANTS")
    expect(field("Catégories")).to_have_text("Difficile à lire ou à remplir en ligne")
    expect(field("Situations")).to_have_text("F14128")
    link = field("Fiche service-public.fr").locator("a")
    expect(link).to_have_attribute("href", "https://www.service-public.fr/particuliers/vosdroits/R13567")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(page.locator("#detail-list dt")).not_to_contain_text(["Contact (accord de la personne)"])
    expect(page.locator("main img")).to_have_count(0)
    expect(page.locator("#detail b")).to_have_count(0)
    expect(page.locator("#announcer")).to_have_text(f"Détail du signalement {refs['xss']} affiché.")

    # Keyboard: back to the list, then another report with a contact, opened with Enter.
    page.get_by_role("button", name="Revenir à la liste").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f'#results-body button[data-reference="{refs["xss"]}"]')).to_be_focused()
    expect(detail).to_be_hidden()
    other = page.locator(f'#results-body button[data-reference="{refs["caf-contact"]}"]')
    other.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#detail-title")).to_be_focused()
    expect(field("Contact (accord de la personne)")).to_have_text("camille@exemple.fr")
    expect(field("Suggestion")).to_have_text("Un glossaire en bas de page.")
    expect(field("Conversation")).to_have_text("Aucune conversation liée")
    expect(other).to_have_attribute("aria-current", "true")

    # Visible focus: the focused button has an outline.
    other.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", outline

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "feedback-dashboard.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path=str(SCREENSHOTS / "feedback-dashboard-320.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Logging out with the keyboard brings the login form back.
    page.get_by_role("button", name="Se déconnecter", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Identifiant")).to_be_focused()
    expect(page.locator("#dashboard-view")).to_be_hidden()

    assert dialogs == [], dialogs
    assert page_errors == [], page_errors
    assert csp_violations == [], csp_violations
    assert failed_scripts == [], failed_scripts
    context.close()
