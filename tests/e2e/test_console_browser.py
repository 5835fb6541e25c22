"""The agent console in a real browser (headless Chromium) against a real gateway, Rasa and actions.

A person asks for a human through the public API; the agent, using only the keyboard, sees the
request arrive live, takes it, reads the packet and the transcript, answers, and hands the
conversation back to the bot.
"""

from __future__ import annotations

import asyncio
import http.client
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from assistant.config import PROJECT_ROOT, Settings
from tests.e2e.conftest import PASSWORD, Gateway, add_agents, serve, server_settings, watch
from tests.e2e.dashboard_support import watch_scripts

SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
XSS = "<img src=x onerror=alert(1)>"
TIMEOUT_MS = 30_000


@pytest.fixture
def gateway_server(rasa_stack: Settings, tmp_path: Path) -> Iterator[Gateway]:
    """The gateway served by uvicorn on a free local port, with its own SQLite file."""
    settings = server_settings(rasa_stack, tmp_path / "console.db")
    asyncio.run(add_agents(settings, ("alice", "Alice Martin"), ("bruno", "Bruno Petit")))
    with serve(settings, "console-gateway") as url:
        yield Gateway(url=url, settings=settings)


def active_id(page: Page) -> str:
    value: str = page.evaluate("document.activeElement ? document.activeElement.id : ''")
    return value


def say(person: httpx.Client, conversation: str, text: str) -> list[dict[str, Any]]:
    response = person.post(f"/api/conversations/{conversation}/messages", json={"text": text})
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def transcript(person: httpx.Client, conversation: str) -> list[dict[str, Any]]:
    response = person.get(f"/api/conversations/{conversation}/messages")
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def test_agent_takes_over_a_conversation_with_the_keyboard(gateway_server: Gateway, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    dialogs, page_errors, csp_violations = watch(page)
    failed_scripts = watch_scripts(page)

    # Login, keyboard only: the username field has the focus when the page opens.
    page.goto(gateway_server.url + "/console")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.get_by_label("Identifiant")).to_be_focused()
    page.keyboard.type("alice")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    page.keyboard.type("pas le bon mot de passe")
    page.keyboard.press("Enter")
    expect(page.locator("#login-error")).to_have_text("Identifiant ou mot de passe incorrect.")
    expect(page.locator("#login-error")).to_have_attribute("role", "alert")
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#agent-name")).to_have_text("Alice Martin")
    expect(page.locator("#queue")).to_have_attribute("data-live", "open")
    expect(page.locator("#queue")).to_have_attribute("data-loaded", "true")
    expect(page.locator("#waiting-empty")).to_be_visible()
    expect(page.locator("#queue-title")).to_be_focused()

    # Remember this document: if the page reloaded, the marker would be gone.
    page.evaluate(
        """() => {
            window.__sameDocument = true;
            new MutationObserver(() => {
                if (!window.__itemAt && document.querySelector('#waiting-list button')) {
                    window.__itemAt = Date.now();
                }
            }).observe(document.getElementById('waiting-list'), {childList: true, subtree: true});
        }"""
    )

    with httpx.Client(base_url=gateway_server.url, timeout=60) as person:
        created = person.post("/api/conversations")
        assert created.status_code == 201, created.text
        conversation = created.json()["id"]
        say(person, conversation, "je déménage, je suis locataire")

        asked_at = time.time() * 1000
        replies = say(person, conversation, "je veux parler à un conseiller")
        answered_at = time.time() * 1000
        assert "conseiller" in " ".join(m["text"] or "" for m in replies)

        item = page.locator("#waiting-list button").first
        expect(item).to_be_visible()
        shown_at = page.evaluate("window.__itemAt")
        assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"
        print(
            f"\nconsole: handoff visible {shown_at - asked_at:.0f} ms after the person's request "
            f"(the request itself took {answered_at - asked_at:.0f} ms)"
        )
        expect(item).to_contain_text("Je déménage")
        expect(item).to_contain_text("a demandé un conseiller")
        expect(item).to_contain_text("site web")
        expect(item).to_contain_text("En attente depuis")
        expect(page.locator("#waiting-count")).to_have_text("1")
        expect(page.locator("#announcer")).to_contain_text("Nouvelle demande en attente")

        # Tab from the queue heading reaches the request; Enter opens it.
        page.keyboard.press("Tab")
        expect(item).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#detail-title")).to_be_focused()
        expect(page.locator("#detail-title")).to_have_text("Demande : Je déménage")
        expect(page.locator("#detail-body")).to_have_attribute("data-status", "waiting")
        expect(page.locator("#packet-summary")).to_contain_text("demandé à parler à un conseiller")
        expect(page.locator("#packet-situations")).to_contain_text("Je déménage (F14128)")
        expect(page.locator("#packet-answers dd").first).to_have_text("Vous êtes locataire")
        assert page.locator("#packet-questions li").count() >= 1
        for link in page.locator("#packet-plan a").all():
            assert (link.get_attribute("href") or "").startswith("https://www.service-public.fr/")
        user_lines = page.locator("#transcript li[data-role=user] .text")
        expect(user_lines).to_have_text(["je déménage, je suis locataire", "je veux parler à un conseiller"])

        # Claim with the keyboard: the next stop after the heading is "Prendre en charge".
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Prendre en charge")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#detail-body")).to_have_attribute("data-status", "active")
        expect(page.get_by_label("Votre message")).to_be_focused()
        expect(page.locator("#mine-list button")).to_have_count(1)
        expect(page.locator("#waiting-list button")).to_have_count(0)
        expect(page.locator("#detail")).to_have_attribute("data-live", "open")

        # The person writes HTML: it shows as text, nothing runs.
        assert say(person, conversation, XSS) == []
        last_user = page.locator("#transcript li[data-role=user] .text").last
        expect(last_user).to_have_text(XSS)
        expect(page.locator("#transcript img")).to_have_count(0)
        expect(page.locator("#announcer")).to_contain_text("Nouveau message de la personne")

        # A canned reply, chosen with the keyboard, then Enter sends.
        page.get_by_label("Réponses types").focus()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Insérer")).to_be_focused()
        page.keyboard.press("Enter")
        reply_box = page.get_by_label("Votre message")
        expect(reply_box).to_be_focused()
        expect(reply_box).to_have_value(
            "Bonjour, je suis conseiller. J'ai lu votre échange avec l'assistant : je reprends avec vous."
        )
        page.keyboard.press("Enter")
        agent_line = page.locator("#transcript li[data-role=agent] .text")
        expect(agent_line).to_have_count(1)
        expect(reply_box).to_have_value("")
        reply_box.type("Vous n'avez rien à répéter, je m'occupe de votre déménagement.")
        page.keyboard.press("Enter")
        expect(agent_line).to_have_count(2)
        messages = transcript(person, conversation)
        assert (messages[-1]["role"], messages[-1]["text"]) == (
            "agent",
            "Vous n'avez rien à répéter, je m'occupe de votre déménagement.",
        )
        assert messages[-2]["role"] == "agent" and messages[-3]["text"] == XSS

        # An internal note, never shown to the person.
        page.get_by_label("Nouvelle note").fill("Locataire, préavis à vérifier")
        page.get_by_role("button", name="Ajouter la note").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#notes-list")).to_contain_text("Locataire, préavis à vérifier")
        assert "préavis à vérifier" not in str(transcript(person, conversation))
        expect(page.get_by_label("Conseiller", exact=True)).to_contain_text("Bruno Petit")

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "console.png"), full_page=True)
        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.screenshot(path=str(SCREENSHOTS / "console-320.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})

        # Hand back to the bot with the keyboard; the bot answers the person again.
        page.get_by_label("Résultat").select_option("resolved")
        page.get_by_role("button", name="Rendre la main au bot").focus()
        page.keyboard.press("Enter")
        # The queue event may come first; the announcement comes with the server's answer.
        expect(page.locator("#announcer")).to_have_text("La conversation est rendue au bot.")
        expect(page.locator("#detail-body")).to_have_attribute("data-status", "closed")
        expect(page.locator("#mine-list button")).to_have_count(0)
        expect(page.locator("#owner-tools")).to_be_hidden()
        messages = transcript(person, conversation)
        # The bot says it takes over, then asks how satisfied the person was with the handoff
        # (the satisfaction question after a hand-back: tests/satisfaction/test_csat.py).
        assert messages[-2]["role"] == "bot" and "reprend" in messages[-2]["text"]
        csat = messages[-1]
        assert csat["role"] == "bot" and "vous a-t-elle été utile" in csat["text"] and csat["buttons"], csat
        answer = say(person, conversation, "je déménage")
        assert answer and all(m["role"] == "bot" for m in answer)

    # Logging out with the keyboard brings the login form back.
    page.get_by_role("button", name="Se déconnecter").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Identifiant")).to_be_focused()
    expect(page.locator("#console-view")).to_be_hidden()

    assert dialogs == [], dialogs
    assert page_errors == [], page_errors
    assert csp_violations == [], csp_violations
    assert failed_scripts == [], failed_scripts
    context.close()


def test_another_agent_was_faster(gateway_server: Gateway, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(gateway_server.url + "/console")
    page.get_by_label("Identifiant").fill("alice")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
    expect(page.locator("#queue")).to_have_attribute("data-live", "open")
    expect(page.locator("#queue")).to_have_attribute("data-loaded", "true")

    with httpx.Client(base_url=gateway_server.url, timeout=60) as person:
        conversation = person.post("/api/conversations").json()["id"]
        say(person, conversation, "je prépare ma retraite")
        say(person, conversation, "je veux parler à un conseiller")
        item = page.locator("#waiting-list button").first
        item.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#detail-body")).to_have_attribute("data-status", "waiting")
        plan_links = page.locator("#packet-plan a")
        page.locator("#packet-plan-details summary").click()  # the plan is closed at first
        expect(plan_links.first).to_be_visible()
        for link in plan_links.all():
            assert (link.get_attribute("href") or "").startswith("https://www.service-public.fr/")
            assert link.get_attribute("rel") == "noopener noreferrer"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "console-plan.png"))

        token = person.post("/api/auth/token", data={"username": "bruno", "password": PASSWORD})
        bruno = {"Authorization": f"Bearer {token.json()['access_token']}"}

        def bruno_first(route: Route) -> None:
            # Bruno's claim reaches the server just before Alice's.
            handoff_id = route.request.url.split("/")[-2]
            assert person.post(f"/api/handoffs/{handoff_id}/claim", headers=bruno).status_code == 200
            route.continue_()

        page.route("**/api/handoffs/*/claim", bruno_first)
        page.get_by_role("button", name="Prendre en charge").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#detail-error")).to_have_text(
            "Cette conversation a déjà été prise par un autre conseiller."
        )
        expect(page.locator("#detail-meta")).to_contain_text("suivie par Bruno Petit")
        expect(page.locator("#claim-area")).to_be_hidden()
        expect(page.locator("#owner-tools")).to_be_hidden()
        expect(page.locator("#waiting-list button")).to_have_count(0)
        expect(page.locator("#mine-list button")).to_have_count(0)
    context.close()


def test_raw_traversal_against_the_real_server(gateway_server: Gateway) -> None:
    """Paths sent byte for byte (browsers and httpx would normalise the dots first)."""
    host, port = gateway_server.url.removeprefix("http://").split(":")
    for raw in (
        "/console/static/../../config.py",
        "/console/static/%2e%2e/%2e%2e/config.py",
        "/console/static/..%2f..%2fconfig.py",
    ):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            connection.request("GET", raw)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        assert response.status == 404 and b'"not_found"' in body, (raw, body[:200])
