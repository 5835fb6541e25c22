"""The web widget in a real browser (headless Chromium) on the demo page, against a real gateway,
Rasa and action server: messages, buttons, reload, reconnection, and a human agent."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from assistant.config import PROJECT_ROOT, Settings
from tests.e2e.conftest import PASSWORD, Gateway, add_agents, serve, server_settings
from tests.e2e.dashboard_support import watch_scripts

SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
TIMEOUT_MS = 30_000
OPEN = "Une question sur vos démarches ?"
# Test-only instrumentation: remember the page's sockets so a test can cut them.
TRACK_SOCKETS = """
(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = function (url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    window.__sockets.push(socket);
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""


@pytest.fixture
def gateway_server(rasa_stack: Settings, tmp_path: Path) -> Iterator[Gateway]:
    """The gateway served by uvicorn on a free local port, with its own SQLite file."""
    settings = server_settings(rasa_stack, tmp_path / "widget.db").copy(
        update={  # an SMS number to send the phone code to (the provider is never called here)
            "sms_account_sid": "AC" + "0" * 32,
            "sms_auth_token": "sms-auth-token-for-widget-tests",
            "sms_from_number": "+33700000000",
            "sms_api_base_url": "http://127.0.0.1:9",
        }
    )
    asyncio.run(add_agents(settings, ("alice", "Alice Martin")))
    with serve(settings, "widget-gateway") as url:
        yield Gateway(url=url, settings=settings)


class Watched:
    """Page errors, dialogs, CSP violations and scripts that fail to load: all must stay empty."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"error: {error}"))
        page.on(
            "dialog", lambda dialog: (self.problems.append(f"dialog: {dialog.message}"), dialog.dismiss())
        )
        page.on(
            "console",
            lambda msg: self.problems.append(msg.text) if "Content Security" in msg.text else None,
        )
        watch_scripts(page, self.problems)


def new_page(browser: Browser, width: int = 1280) -> tuple[BrowserContext, Page, Watched]:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    context.add_init_script(TRACK_SOCKETS)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page, Watched(page)


@contextmanager
def third_party_site(page: str, policy: str) -> Iterator[str]:
    """Another origin (another port) whose one page, under its own CSP, embeds the widget."""
    body = page.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", policy)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="third-party-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def conversation_id(page: Page, gateway: Gateway) -> str:
    stored: dict[str, Any] = page.evaluate(
        "key => JSON.parse(sessionStorage.getItem(key))", f"demarches-widget:{gateway.url}"
    )
    value: str = stored["id"]
    return value


def transcript(gateway: Gateway, conversation: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{gateway.url}/api/conversations/{conversation}/messages", timeout=30)
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def message_ids(page: Page) -> list[str]:
    ids: list[str] = page.locator("li.dw-msg").evaluate_all(
        "items => items.map(item => item.getAttribute('data-id'))"
    )
    return ids


def open_widget(page: Page) -> None:
    page.get_by_role("button", name=OPEN).click()
    expect(page.get_by_label("Votre message")).to_be_focused()
    expect(page.locator("li.dw-msg[data-role=bot]").first).to_be_visible()


def type_message(page: Page, text: str) -> None:
    box = page.get_by_label("Votre message")
    box.fill(text)
    box.press("Enter")


def cut_sockets(page: Page) -> None:
    page.evaluate("window.__sockets.forEach(socket => socket.close())")


def test_widget_conversation_buttons_reload_and_reconnect(gateway_server: Gateway, browser: Browser) -> None:
    context, page, watched = new_page(browser)
    page.goto(gateway_server.url + "/")
    expect(page).to_have_title("Vos démarches administratives, pas à pas")
    launcher = page.get_by_role("button", name=OPEN)
    expect(launcher).to_have_attribute("aria-expanded", "false")

    # Keyboard: Tab reaches the launcher, Enter opens the panel and focuses the text box.
    launcher.focus()
    page.keyboard.press("Enter")
    box = page.get_by_label("Votre message")
    expect(box).to_be_focused()
    expect(page.get_by_role("dialog", name="Assistant démarches")).to_be_visible()
    expect(page.locator("li.dw-msg[data-role=bot]").first).to_be_visible()
    expect(page.locator(".dw-welcome")).to_be_hidden()  # the bot greets: one greeting, not two
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")

    # A message and its answer, with the fiche's choices as buttons.
    type_message(page, "je déménage")
    expect(page.locator("li.dw-msg[data-role=user]")).to_have_text(["Vous : je déménage"])
    locataire = page.get_by_role("button", name="Locataire", exact=True)
    expect(locataire).to_be_enabled()
    expect(box).to_be_focused()

    # Press the button with the keyboard: it is sent, shown as the person's answer, then disabled.
    locataire.focus()
    page.keyboard.press("Enter")
    expect(page.locator("li.dw-msg[data-role=user]").last).to_have_text("Vous : Locataire")
    expect(page.locator("li.dw-msg[data-role=user]:not(.dw-pending)")).to_have_count(2)
    expect(locataire).to_be_disabled()
    expect(box).to_be_focused()
    expect(page.locator("li.dw-msg[data-role=bot]").last).not_to_have_text("")
    conversation = conversation_id(page, gateway_server)
    users = [m for m in transcript(gateway_server, conversation) if m["role"] == "user"]
    assert [m["text"] for m in users] == ["je déménage", None]
    assert users[1]["payload"]

    # Escape closes and gives the focus back to the launcher; the launcher reopens.
    page.keyboard.press("Escape")
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    expect(box).to_be_focused()

    # Go as far as the plan, to see its links.
    type_message(page, "je n'ai pas d'enfant et je reste en France")
    expect(page.locator("li.dw-msg[data-role=user]:not(.dw-pending)")).to_have_count(3)
    expect(page.locator(".dw-typing")).to_be_hidden()
    for link in page.locator("li.dw-msg a").all():
        assert (link.get_attribute("href") or "").startswith(("https://", "http://"))
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert link.get_attribute("target") == "_blank"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "widget.png"))

    # Reload: the same conversation and the same messages, in the same order.
    before = message_ids(page)
    assert len(before) == len(set(before)) and all(before)
    page.reload()
    expect(page.get_by_label("Votre message")).to_be_visible()
    expect(page.locator("li.dw-msg")).to_have_count(len(before))
    assert message_ids(page) == before
    assert conversation_id(page, gateway_server) == conversation
    expect(page.locator("#demarches-widget")).to_have_attribute("data-connected", "true")

    # Offline: the socket drops, the message waits, then goes once the network is back.
    context.set_offline(True)
    cut_sockets(page)
    expect(page.locator("#demarches-widget")).to_have_attribute("data-connected", "false")
    expect(page.get_by_role("status").first).to_contain_text("Connexion interrompue")
    type_message(page, "bonjour")
    pending = page.locator("li.dw-msg.dw-pending")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text("Envoi en cours")
    page.wait_for_timeout(1500)  # a few failed reconnection attempts
    context.set_offline(False)
    expect(pending).to_have_count(0)
    hello = page.locator("li.dw-msg[data-role=user]", has_text="bonjour")
    expect(hello).to_have_count(1)
    expect(page.locator("#demarches-widget")).to_have_attribute("data-connected", "true")
    hello_id = int(hello.get_attribute("data-id") or 0)
    expect(page.locator(f"li.dw-msg[data-role=bot][data-id='{hello_id + 1}']")).to_have_count(1)

    # The socket drops right after a message left: the client sends it again, it counts once.
    type_message(page, "je déménage à l'étranger")
    cut_sockets(page)
    abroad = page.locator("li.dw-msg[data-role=user]", has_text="je déménage à l'étranger")
    expect(abroad).to_have_count(1)
    expect(page.locator("li.dw-msg.dw-pending")).to_have_count(0)
    abroad_id = int(abroad.get_attribute("data-id") or 0)
    expect(page.locator(f"li.dw-msg[data-role=bot][data-id='{abroad_id + 1}']")).to_have_count(1)
    page.wait_for_timeout(500)

    stored = transcript(gateway_server, conversation)
    shown = message_ids(page)
    assert len(shown) == len(set(shown)), shown
    assert [str(m["id"]) for m in stored if m["text"] or m["role"] == "user" or m["buttons"]] == shown
    texts = [m["text"] for m in stored if m["role"] == "user"]
    assert texts.count("bonjour") == 1 and texts.count("je déménage à l'étranger") == 1

    # Narrow screens: 320 px wide, nothing overflows.
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    panel_width = page.locator(".dw-panel").evaluate("panel => panel.getBoundingClientRect().width")
    assert panel_width <= 320
    page.screenshot(path=str(SCREENSHOTS / "widget-320.png"))

    assert watched.problems == [], watched.problems
    context.close()


def test_ask_for_a_human_and_get_the_agents_answer(gateway_server: Gateway, browser: Browser) -> None:
    context, page, watched = new_page(browser, width=1024)
    page.emulate_media(reduced_motion="reduce")
    page.goto(gateway_server.url + "/")
    open_widget(page)
    type_message(page, "je déménage, je suis locataire")
    expect(page.locator("li.dw-msg[data-role=user]:not(.dw-pending)")).to_have_count(1)

    page.get_by_role("button", name="Options").click()  # the secondary actions' menu
    human = page.get_by_role("button", name="Parler à un conseiller")
    expect(human).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("li.dw-msg[data-role=user]").last).to_have_text("Vous : Parler à un conseiller")
    handoff_message = page.locator("li.dw-msg[data-role=bot]", has_text="mets en relation avec un conseiller")
    expect(handoff_message).to_have_count(1)
    assert page.locator(".dw-panel").evaluate("panel => getComputedStyle(panel).animationName") == "none"

    # An agent takes the conversation and answers: the widget shows it live, marked "Conseiller".
    conversation = conversation_id(page, gateway_server)
    with httpx.Client(base_url=gateway_server.url, timeout=30) as agent:
        token = agent.post("/api/auth/token", data={"username": "alice", "password": PASSWORD})
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        waiting = agent.get("/api/handoffs", headers=auth).json()["handoffs"]
        (handoff,) = [h for h in waiting if h["conversation_id"] == conversation]
        assert agent.post(f"/api/handoffs/{handoff['id']}/claim", headers=auth).status_code == 200
        text = "Bonjour, je suis conseillère : voici la fiche https://www.service-public.fr/particuliers/vosdroits/F14128."
        reply = agent.post(f"/api/handoffs/{handoff['id']}/messages", headers=auth, json={"text": text})
        assert reply.status_code == 201
        # A titled list, as the plan and the fiche cards write it: the titles are the links.
        titled = (
            "1. Déclaration de décès\n   https://www.service-public.fr/particuliers/vosdroits/F909\n"
            "Votre plan à imprimer : https://www.service-public.fr/particuliers/vosdroits/F16507"
        )
        reply = agent.post(f"/api/handoffs/{handoff['id']}/messages", headers=auth, json={"text": titled})
        assert reply.status_code == 201
    agent_line = page.locator("li.dw-msg[data-role=agent]")
    expect(agent_line).to_have_count(2)
    expect(agent_line.first.locator(".dw-badge")).to_have_text("Conseiller")
    link = agent_line.first.locator("a")
    expect(link).to_have_attribute("href", "https://www.service-public.fr/particuliers/vosdroits/F14128")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    titled_links = agent_line.last.locator("a")
    expect(titled_links).to_have_text(
        ["Déclaration de décès (nouvelle fenêtre)", "Votre plan à imprimer (nouvelle fenêtre)"]
    )
    expect(titled_links.first).to_have_attribute(
        "href", "https://www.service-public.fr/particuliers/vosdroits/F909"
    )
    expect(agent_line.last).not_to_contain_text("https://")  # no bare address left on screen
    page.screenshot(path=str(SCREENSHOTS / "widget-agent.png"))

    # HTML typed by the person stays text.
    type_message(page, "<img src=x onerror=alert(1)>")
    expect(page.locator("li.dw-msg[data-role=user]", has_text="<img src=x")).to_have_count(1)
    expect(page.locator("li.dw-msg.dw-pending")).to_have_count(0)
    expect(page.locator("li.dw-msg img")).to_have_count(0)
    assert watched.problems == [], watched.problems
    context.close()


def test_continue_on_the_phone_shows_a_code_that_links(gateway_server: Gateway, browser: Browser) -> None:
    context, page, watched = new_page(browser, width=1024)
    page.goto(gateway_server.url + "/")
    open_widget(page)
    type_message(page, "je déménage")
    expect(page.locator("li.dw-msg[data-role=user]:not(.dw-pending)")).to_have_count(1)
    page.get_by_role("button", name="Options").click()
    button = page.get_by_role("button", name="Continuer sur mon téléphone")
    button.focus()
    page.keyboard.press("Enter")
    note = page.locator(".dw-code")
    expect(note).to_contain_text("Votre code : ")
    expect(note).to_contain_text("par SMS au +33700000000 dans les 15 minutes")
    code = note.inner_text().split("Votre code : ", 1)[1][:6]
    conversation = conversation_id(page, gateway_server)
    with httpx.Client(base_url=gateway_server.url, timeout=30) as other_device:
        linked = other_device.post("/api/conversations/link", json={"code": code})
        assert linked.status_code == 200 and linked.json()["id"] == conversation
        assert other_device.post("/api/conversations/link", json={"code": code}).status_code == 422
    assert watched.problems == [], watched.problems
    context.close()


def test_the_widget_on_another_origin_loads_its_modules(
    rasa_stack: Settings, tmp_path: Path, browser: Browser
) -> None:
    """The one-tag contract: a classic script tag on another site, whose CSP allows the gateway."""
    settings = server_settings(rasa_stack, tmp_path / "embedded.db")
    gateway = settings.public_url
    socket = gateway.replace("http://", "ws://")
    tag = f'<script src="{gateway}/widget.js" data-gateway="{gateway}" data-color="#b34000" defer></script>'
    html = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mairie</title></head>'
        f"<body><main><h1>Mairie de Test</h1></main>{tag}</body></html>"
    )
    policy = (
        f"default-src 'none'; img-src 'self'; script-src {gateway}; style-src {gateway}; "
        f"connect-src {gateway} {socket}"
    )
    with (
        third_party_site(html, policy) as site,
        serve(settings.copy(update={"widget_origins": site}), "embedded-gateway"),
    ):
        context, page, watched = new_page(browser)
        modules: list[dict[str, str]] = []
        page.on(
            "response",
            lambda r: modules.append(r.headers) if "/widget/static/" in r.url else None,
        )
        page.goto(site + "/")
        expect(page.locator("#demarches-widget")).to_have_attribute("data-ready", "true")
        # "*" from the widget's routes; the CORS middleware names the origins of WIDGET_ORIGINS.
        assert modules and all(h.get("access-control-allow-origin") in ("*", site) for h in modules)
        open_widget(page)
        type_message(page, "je déménage")
        expect(page.locator("li.dw-msg[data-role=user]:not(.dw-pending)")).to_have_count(1)
        expect(page.locator("li.dw-msg[data-role=bot]").last).not_to_have_text("")
        send_color = page.locator(".dw-send").evaluate("b => getComputedStyle(b).backgroundColor")
        assert send_color == "rgb(179, 64, 0)"  # data-color, read by the loader
        assert watched.problems == [], watched.problems
        context.close()
