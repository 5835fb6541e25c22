"""The complaints dashboard in Chromium with an English locale (desktop and 360 px), on its own
gateway (no Rasa needed): dates typed and read as jj/mm/aaaa, the organisation behind a fiche's
phone line, each report's conversation one click away, and a CSV in French.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from assistant.config import Settings
from assistant.conversations.models import Button, OutboundMessage
from assistant.conversations.repository import ConversationRepository
from assistant.feedback.repository import FeedbackRepository
from assistant.storage import Database
from tests.e2e.conftest import serve, watch
from tests.e2e.console_support import console_settings
from tests.e2e.dashboard_support import (
    SCREENSHOTS,
    TIMEOUT_MS,
    Gateway,
    api_json,
    expect_results,
    login_with_keyboard,
    prepare_reports,
    reports,
)

PHONE_LINE_FORM = {
    "label": "Demande de certificat d'immatriculation",
    "kind": "form",
    "fiche_id": "F1050",
    "cerfa": "13750*07",
    "organisation": "34 00 - Informations sur la carte grise ou le permis de conduire",
}


async def add_phone_line_report(settings: Settings, conversation_id: str) -> str:
    """A report whose fiche names a phone line; the conversation gets a button the person pressed."""
    database = Database(settings.sqlalchemy_url)
    await database.start()
    try:
        conversations = ConversationRepository(database)
        button = Button("Laisser mes coordonnées", "/leave_contact")
        await conversations.add_outbound(
            conversation_id, "bot", [OutboundMessage(text="Voulez-vous être recontacté ?", buttons=(button,))]
        )
        await conversations.add_inbound(conversation_id, None, button.payload, status="done")
        report = {
            "document": PHONE_LINE_FORM,
            "categories": ["jargon", "too_long"],
            "description": "Trop de cases.",
            "situations": [],
        }
        reference, _ = await FeedbackRepository(database).add(conversation_id, "web", report)
        return reference
    finally:
        await database.stop()


@pytest.fixture
def plain_server(tmp_path: Path) -> Iterator[Gateway]:
    settings = console_settings(tmp_path)
    with serve(settings, "dashboard-plain") as url:
        references = asyncio.run(prepare_reports(settings))
        references["phone-line"] = asyncio.run(add_phone_line_report(settings, references["conversation"]))
        yield Gateway(url=url, settings=settings, references=references)


@pytest.mark.parametrize("width", [1280, 360])
def test_french_dates_organisations_transcripts_and_csv_labels(
    plain_server: Gateway, browser: Browser, width: int
) -> None:
    # An English browser: the dates are still typed and read the French way.
    context = browser.new_context(
        base_url=plain_server.url,
        viewport={"width": width, "height": 900},
        locale="en-US",
        timezone_id="Europe/Paris",
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _, page_errors, csp_violations = watch(page)
    refs = plain_server.references
    login_with_keyboard(page, plain_server.url, "amelie")
    total = len(reports()) + 1
    expect_results(page, total, "")

    since = datetime.now(timezone.utc).date() - timedelta(days=3)
    dates = page.get_by_label("Du", exact=True)
    assert dates.get_attribute("type") == "text" and dates.get_attribute("placeholder") == "jj/mm/aaaa"
    dates.fill(since.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect_results(page, api_json(page, f"/api/feedback?from={since.isoformat()}")["total"], f"?from={since}")
    page.get_by_label("Au (inclus)", exact=True).fill("31/02/2026")  # no such day
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.locator("#filters-error")).to_have_text(
        "La date « Au » n'est pas une date au format jj/mm/aaaa."
    )
    expect(page.get_by_label("Au (inclus)", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Au (inclus)", exact=True)).to_be_focused()
    page.get_by_role("button", name="Effacer les filtres").click()
    expect_results(page, total, "")

    # The organisation is the fiche's, not its phone line; the conversation's exchange is one click away.
    page.locator(f'#results-body button[data-reference="{refs["phone-line"]}"]').click()
    field = page.locator('#detail-list dd[data-field="Organisme"]')
    expect(field).to_have_text("Agence nationale des titres sécurisés (ANTS)")
    row = page.locator(f'#results-body tr[data-reference="{refs["phone-line"]}"]')
    expect(row).to_contain_text("Agence nationale des titres sécurisés (ANTS)")
    expect(page.locator("#results-body")).not_to_contain_text("34 00")
    conversation = page.locator('#detail-list dd[data-field="Conversation"] details')
    expect(conversation).not_to_have_attribute("open", "")
    conversation.locator("summary").click()
    lines = conversation.locator("li .text")
    expect(lines).to_have_text(["Voulez-vous être recontacté ?", "Bouton choisi : Laisser mes coordonnées"])
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-detail-{width}.png"), full_page=True)

    # The CSV speaks French: headers, channel, kind of document, difficulties.
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter en CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == total
    line = next(r for r in rows if r["Référence"] == refs["phone-line"])
    assert line["Canal"] == "Site web" and line["Type de document"] == "Formulaire"
    assert line["Difficultés"] == "Vocabulaire, jargon | Trop long"
    assert line["Organisme"] == "Agence nationale des titres sécurisés (ANTS)"
    codes = {"web", "telegram", "form", "letter", "notice", "jargon", "too_long", "other"}
    assert not any(cell in codes for r in rows for cell in r.values())
    assert {r["Canal"] for r in rows} == {"Site web", "Telegram"}
    assert page_errors == [] and csp_violations == [], (page_errors, csp_violations)
    context.close()
