"""axe-core on every page people use: the widget, the console, the complaints dashboard and the
printable plan, on a desktop and on a 360 px phone. No serious or critical violation.

axe-core is vendored for the tests only (tests/e2e/vendor/axe-README.md); the pages' strict
Content-Security-Policy is bypassed by the browser context so that it can be injected.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from assistant.conversations.repository import ConversationRepository
from assistant.plans.repository import PlanExportRepository
from assistant.storage import Database
from tests.e2e.conftest import PASSWORD, serve
from tests.e2e.console_support import Seeded, console_settings, seed
from tests.e2e.dashboard_support import prepare_reports

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
TIMEOUT_MS = 30_000
BLOCKING = ("serious", "critical")
VIEWPORTS = {"desktop": (1280, 900), "mobile": (360, 740)}


@dataclass
class Site:
    url: str
    seeded: Seeded
    plan_token: str
    references: dict[str, str]


async def save_plan(settings: Any) -> str:
    database = Database(settings.sqlalchemy_url)
    await database.start()
    try:
        conversation = await ConversationRepository(database).create("web")
        plan = {
            "situations": [{"id": "F14128", "title": "Je déménage"}],
            "event_date": "2026-03-01",
            "items": [
                {
                    "title": "Changer d'adresse",
                    "explanation": "Signalez votre nouvelle adresse aux organismes.",
                    "url": "https://www.service-public.fr/particuliers/vosdroits/F11193",
                    "deadline": "dans le mois qui suit",
                },
                {"title": "Inscription sur les listes électorales", "explanation": "Avant l'élection."},
            ],
        }
        token: str = await PlanExportRepository(database).save(conversation.id, plan)
        return token
    finally:
        await database.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings = console_settings(tmp_path_factory.mktemp("a11y"))
    with serve(settings, "a11y-gateway") as url:
        seeded = asyncio.run(seed(settings))
        token = asyncio.run(save_plan(settings))
        references = asyncio.run(prepare_reports(settings))
        yield Site(url, seeded, token, references)


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's serious and critical violations on the page as it is now (WCAG 2.x A and AA rules)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
                resultTypes: ['violations'],
            });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => {
                    const data = (n.any[0] || {}).data || {};
                    const colours = `${data.fgColor} on ${data.bgColor}: ${data.contrastRatio}`;
                    return n.target.join(' ') + (data.fgColor ? ` (${colours})` : '');
                }),
            }));
        }"""
    )
    return [v for v in found if v["impact"] in BLOCKING]


def new_page(browser: Browser, viewport: str) -> Page:
    width, height = VIEWPORTS[viewport]
    # Reduced motion: axe reads colours as they are, not halfway through a panel's fade-in.
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="fr-FR", bypass_csp=True, reduced_motion="reduce"
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def sign_in(page: Page, url: str, username: str) -> None:
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_console_has_no_serious_violation(site: Site, browser: Browser, viewport: str) -> None:
    page = new_page(browser, viewport)
    page.goto(site.url + "/console")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    assert violations(page) == []  # the login form
    sign_in(page, site.url, "alice")
    expect(page.locator("#queue")).to_have_attribute("data-loaded", "true")
    page.locator(f'#waiting-list button[data-id="{site.seeded.long_plan}"]').click()
    expect(page.locator("#detail-body")).to_be_visible()
    page.locator("#packet-plan-details summary").click()
    expect(page.locator("#packet-plan li")).to_have_count(51)
    assert violations(page) == []  # queue, packet, open plan, transcript
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_dashboard_has_no_serious_violation(site: Site, browser: Browser, viewport: str) -> None:
    page = new_page(browser, viewport)
    page.goto(site.url + "/admin/feedback")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    assert violations(page) == []  # the login form
    sign_in(page, site.url, "amelie")
    expect(page.locator("#dashboard-view")).to_be_visible()
    expect(page.locator("#results-body tr[data-reference]").first).to_be_visible()
    page.get_by_label("Du", exact=True).fill("32/01/2026")
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.locator("#filters-error")).not_to_be_empty()
    assert violations(page) == []  # filters with an error, table, charts
    page.locator(f'#results-body button[data-reference="{site.references["xss"]}"]').click()
    page.locator("#detail details.conversation summary").click()
    expect(page.locator("#detail details.conversation li").first).to_be_visible()
    assert violations(page) == []  # a report's detail and its conversation
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_plan_page_has_no_serious_violation(site: Site, browser: Browser, viewport: str) -> None:
    page = new_page(browser, viewport)
    page.goto(f"{site.url}/plans/{site.plan_token}")
    expect(page.get_by_text("Changer d'adresse").first).to_be_visible()
    assert violations(page) == []
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_widget_has_no_serious_violation(site: Site, browser: Browser, viewport: str) -> None:
    page = new_page(browser, viewport)
    page.goto(site.url + "/")
    launcher = page.get_by_role("button", name="Une question sur vos démarches ?")
    expect(launcher).to_be_visible()
    assert violations(page) == []  # the page with the closed widget
    launcher.click()
    expect(page.get_by_label("Votre message")).to_be_visible()
    assert violations(page) == []  # the open widget
    page.context.close()
