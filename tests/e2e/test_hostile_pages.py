"""HTML and script in every field a page shows, in headless Chromium: shown as text, never run.

An agent whose display name is HTML, a person's message, an agent's reply and an internal note
that are HTML, and a printable plan whose titles are HTML: the console and the plan page show
them as text; no dialog opens, no handler runs, no CSP violation is reported.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from assistant.config import Settings
from assistant.plans.repository import PlanExportRepository
from assistant.storage import Database
from tests.e2e.conftest import PASSWORD, Gateway, add_agents, serve, server_settings, watch

XSS = '<img src=x onerror="window.__xss = 1; alert(1)">'
SCRIPT = "<script>window.__xss = 2</script>"
TIMEOUT_MS = 30_000


@pytest.fixture
def gateway_server(rasa_stack: Settings, tmp_path: Path) -> Iterator[Gateway]:
    settings = server_settings(rasa_stack, tmp_path / "hostile-pages.db")
    asyncio.run(add_agents(settings, ("xss", XSS + SCRIPT)))
    with serve(settings, "hostile-pages-gateway") as url:
        yield Gateway(url=url, settings=settings)


async def save_plan(settings: Settings, conversation: str) -> str:
    database = Database(settings.sqlalchemy_url)
    await database.start()
    try:
        plan = {
            "situations": [{"id": "F14128", "title": XSS}],
            "items": [
                {"title": XSS, "explanation": SCRIPT, "url": "javascript:window.__xss=3", "deadline": XSS},
                {
                    "title": "Changer d'adresse",
                    "url": "https://www.service-public.fr/particuliers/vosdroits/F1",
                },
            ],
        }
        token: str = await PlanExportRepository(database).save(conversation, plan)
        return token
    finally:
        await database.stop()


def test_html_in_every_field_is_shown_as_text(gateway_server: Gateway, browser: Browser) -> None:
    with httpx.Client(base_url=gateway_server.url, timeout=60) as person:
        conversation = person.post("/api/conversations").json()["id"]
        assert (
            person.post(f"/api/conversations/{conversation}/messages", json={"text": XSS}).status_code == 200
        )
        asked = person.post(
            f"/api/conversations/{conversation}/messages", json={"text": "je veux parler à un conseiller"}
        )
        assert asked.status_code == 200, asked.text
        token = person.post("/api/auth/token", data={"username": "xss", "password": PASSWORD}).json()[
            "access_token"
        ]
        auth = {"Authorization": f"Bearer {token}"}
        (handoff,) = [
            h
            for h in person.get("/api/handoffs", headers=auth).json()["handoffs"]
            if h["conversation_id"] == conversation
        ]
        assert person.post(f"/api/handoffs/{handoff['id']}/claim", headers=auth).status_code == 200
        assert (
            person.post(
                f"/api/handoffs/{handoff['id']}/notes", headers=auth, json={"text": SCRIPT + XSS}
            ).status_code
            == 201
        )
        assert (
            person.post(
                f"/api/handoffs/{handoff['id']}/messages", headers=auth, json={"text": XSS}
            ).status_code
            == 201
        )
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API already runs a loop in this thread
        plan_token = pool.submit(asyncio.run, save_plan(gateway_server.settings, conversation)).result()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    dialogs, page_errors, csp_violations = watch(page)
    page.goto(gateway_server.url + "/console")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.get_by_label("Identifiant").fill("xss")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
    expect(page.locator("#agent-name")).to_have_text(XSS + SCRIPT)
    item = page.locator("#mine-list button").first
    expect(item).to_be_visible()
    item.click()
    expect(page.locator("#detail-body")).to_have_attribute("data-status", "active")
    expect(page.locator("#transcript li[data-role=user] .text").first).to_have_text(XSS)
    expect(page.locator("#transcript li[data-role=agent] .text").first).to_have_text(XSS)
    expect(page.locator("#notes-list")).to_contain_text(SCRIPT + XSS)
    expect(page.locator("#notes-list")).to_contain_text(XSS + SCRIPT + " : ")  # the author's name
    assert page.locator("#console-view img, #console-view script").count() == 0

    page.goto(f"{gateway_server.url}/plans/{plan_token}")
    expect(page.locator("li .title").first).to_have_text(XSS)
    expect(page.locator("ol li").first).to_contain_text(SCRIPT)
    assert page.locator("main img, ol script, a[href^='javascript:']").count() == 0
    expect(page.locator("ol li a")).to_have_count(1)  # only the https link is a link
    assert page.title().endswith(XSS)

    assert page.evaluate("window.__xss === undefined")
    assert dialogs == [] and page_errors == [] and csp_violations == [], (
        dialogs,
        page_errors,
        csp_violations,
    )
    context.close()
