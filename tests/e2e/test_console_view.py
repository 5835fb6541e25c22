"""What the agent sees in the console (headless Chromium, desktop and 360 px), on records written
straight into the store (no Rasa needed): queue cards with the last message, sorted by priority then
wait; button titles in the transcript; a long plan folded; the outcome chosen per conversation; and
the live streams resumed without loss after a real disconnection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from assistant.config import PROJECT_ROOT
from tests.e2e.conftest import PASSWORD, Gateway, serve, watch
from tests.e2e.console_support import CuttableProxy, Seeded, console_settings, seed

SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
TIMEOUT_MS = 30_000


@pytest.fixture
def seeded_server(tmp_path: Path) -> Iterator[tuple[Gateway, Seeded]]:
    settings = console_settings(tmp_path)
    with serve(settings, "console-seeded") as url:
        seeded = asyncio.run(seed(settings))
        yield Gateway(url=url, settings=settings), seeded


def sign_in(browser: Browser, url: str, width: int, locale: str = "fr-FR") -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url + "/console")
    page.get_by_label("Identifiant").fill("alice")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
    expect(page.locator("#queue")).to_have_attribute("data-loaded", "true")
    return context, page


def agent_token(url: str) -> dict[str, str]:
    response = httpx.post(f"{url}/api/auth/token", data={"username": "alice", "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.mark.parametrize("width", [1280, 360])
def test_queue_cards_transcript_plan_and_outcome(
    seeded_server: tuple[Gateway, Seeded], browser: Browser, width: int
) -> None:
    gateway, seeded = seeded_server
    context, page = sign_in(browser, gateway.url, width)
    _, page_errors, csp_violations = watch(page)

    # Cards: priority first, then the longest wait; each with the last message, channel, wait, reason.
    cards = page.locator("#waiting-list button")
    expect(cards).to_have_count(4)
    order = [cards.nth(i).get_attribute("data-id") for i in range(4)]
    assert order == [seeded.urgent, seeded.old, seeded.long_plan, seeded.recent]
    expect(cards.nth(0)).to_contain_text("« mon propriétaire me met dehors ce soir »")
    expect(cards.nth(0)).to_contain_text("SMS")
    expect(cards.nth(1)).to_contain_text("« je pars à Lyon le mois prochain »")
    expect(cards.nth(1)).to_contain_text("Telegram")
    expect(cards.nth(1)).to_contain_text("34 min")
    expect(cards.nth(2)).to_contain_text("« Laisser mes coordonnées »")  # the button's title
    for i in range(4):
        expect(cards.nth(i)).to_contain_text("a demandé un conseiller")
    assert "/leave_contact" not in page.locator("#waiting-list").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # The long plan stays closed: the transcript is right below the packet, the button's title shown.
    cards.nth(2).click()
    expect(page.locator("#detail-title")).to_have_text("Demande : Je déménage")
    details = page.locator("#packet-plan-details")
    expect(details).not_to_have_attribute("open", "")
    expect(details.locator("summary")).to_have_text("Plan montré à la personne (51 démarches)")
    expect(page.locator("#packet-plan li").first).to_be_hidden()
    packet_box = page.locator("section[aria-labelledby=packet-title]").bounding_box()
    assert packet_box is not None and packet_box["height"] < 900, packet_box
    pressed = page.locator("#transcript li[data-role=user] .text").last
    expect(pressed).to_have_text("Bouton choisi : Laisser mes coordonnées")
    expect(page.locator("#transcript")).not_to_contain_text("/leave_contact")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"console-seeded-{width}.png"), full_page=True)
    details.locator("summary").click()
    expect(page.locator("#packet-plan li")).to_have_count(51)

    # The outcome is chosen per conversation: never the last conversation's.
    page.get_by_role("button", name="Prendre en charge").click()
    expect(page.locator("#detail-body")).to_have_attribute("data-status", "active")
    page.get_by_label("Résultat").select_option("redirected")
    page.get_by_role("button", name="Clore").click()
    expect(page.locator("#detail-body")).to_have_attribute("data-status", "closed")
    page.locator(f'#waiting-list button[data-id="{seeded.old}"]').click()
    expect(page.locator("#detail-body")).to_have_attribute("data-status", "waiting")
    page.get_by_role("button", name="Prendre en charge").click()
    expect(page.get_by_label("Résultat")).to_have_value("")
    expect(details).not_to_have_attribute("open", "")  # closed again for this conversation
    page.get_by_role("button", name="Rendre la main au bot").click()
    expect(page.locator("#detail-error")).to_have_text(
        "Choisissez le résultat de la conversation avant de la terminer."
    )
    expect(page.get_by_label("Résultat")).to_be_focused()
    expect(page.locator("#detail-body")).to_have_attribute("data-status", "active")
    page.get_by_label("Résultat").select_option("resolved")
    page.get_by_role("button", name="Clore").click()
    expect(page.locator("#detail-body")).to_have_attribute("data-status", "closed")
    closed = httpx.get(f"{gateway.url}/api/handoffs?status=closed", headers=agent_token(gateway.url))
    outcomes = {h["id"]: h["outcome"] for h in closed.json()["handoffs"]}
    assert outcomes == {seeded.long_plan: "redirected", seeded.old: "resolved"}
    assert page_errors == [] and csp_violations == [], (page_errors, csp_violations)
    context.close()


def test_the_console_resumes_after_a_real_disconnection(
    seeded_server: tuple[Gateway, Seeded], browser: Browser
) -> None:
    gateway, seeded = seeded_server
    proxy = CuttableProxy(gateway.settings.port)
    context, page = sign_in(browser, proxy.url, 1280)
    page.locator(f'#waiting-list button[data-id="{seeded.recent}"]').click()
    page.get_by_role("button", name="Prendre en charge").click()
    expect(page.locator("#detail")).to_have_attribute("data-live", "open")
    base = f"{gateway.url}/api/handoffs/{seeded.recent}"
    token = agent_token(gateway.url)
    assert httpx.post(f"{base}/messages", json={"text": "un"}, headers=token).status_code == 201
    agent_lines = page.locator("#transcript li[data-role=agent] .text")
    expect(agent_lines).to_have_text(["un"])
    page.evaluate(
        """() => { window.__lost = 0; new MutationObserver(() => {
            if (document.getElementById('detail').dataset.live === 'reconnecting') window.__lost += 1;
        }).observe(document.getElementById('detail'), {attributes: true}); }"""
    )

    # The connections drop; messages and a queue change happen before the browser is back.
    proxy.cut()
    for text in ("deux", "trois"):
        assert httpx.post(f"{base}/messages", json={"text": text}, headers=token).status_code == 201
    claimed = httpx.post(f"{gateway.url}/api/handoffs/{seeded.urgent}/claim", headers=token)
    assert claimed.status_code == 200

    expect(agent_lines).to_have_text(["un", "deux", "trois"])
    expect(page.locator("#detail")).to_have_attribute("data-live", "open")
    assert page.evaluate("window.__lost") >= 1  # the stream did drop
    expect(page.locator(f'#mine-list button[data-id="{seeded.urgent}"]')).to_be_visible()
    assert httpx.post(f"{base}/messages", json={"text": "quatre"}, headers=token).status_code == 201
    expect(agent_lines).to_have_text(["un", "deux", "trois", "quatre"])
    context.close()
    proxy.close()
