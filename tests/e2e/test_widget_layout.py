"""What people see in the widget (headless Chromium, desktop 1280x800 and mobile 360x740): the
room left to messages, the options menu, words never cut, where to send the phone code, and the
unread count and agent notices while the panel is closed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from assistant.config import Settings
from tests.channels.fakes import FakeBotApi
from tests.e2e.conftest import PASSWORD, Gateway, add_agents, serve, server_settings
from tests.e2e.test_widget_browser import (
    OPEN,
    SCREENSHOTS,
    TIMEOUT_MS,
    Watched,
    conversation_id,
    open_widget,
    type_message,
)

SMS_NUMBER = "+33700000000"
TELEGRAM_BOT = "@demarches_test_bot"
MAX_QUESTIONS = 8
SIZES = {"desktop": (1280, 800), "mobile": (360, 740)}
# Every word of every visible text of the widget (or the page) on one line: a word whose
# letters fall on two lines was cut (links, which may be longer than a line, excepted).
CUT_WORDS = """
root => {
  const cut = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !parent.getClientRects().length || parent.closest('.dw-sr')) continue;
    if (parent.closest('a') && /:\\/\\//.test(parent.closest('a').textContent)) continue;
    const words = /[^\\s\\-]+/g;
    for (let m = words.exec(node.data); m; m = words.exec(node.data)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set(
        Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.bottom))
      );
      if (lines.size > 1) cut.push(m[0]);
    }
  }
  return cut;
}
"""


@pytest.fixture
def phone_gateway(rasa_stack: Settings, tmp_path: Path) -> Iterator[Gateway]:
    """The gateway with an SMS number and a Telegram bot to name (a local Bot API; no SMS sent)."""
    bot_api = FakeBotApi()
    settings = server_settings(rasa_stack, tmp_path / "layout.db").copy(
        update={
            "telegram_bot_token": FakeBotApi.TOKEN,
            "telegram_webhook_secret": "layout-webhook-secret-" + "x" * 8,
            "telegram_api_base_url": bot_api.url,
            "telegram_bot_username": TELEGRAM_BOT,
            "sms_account_sid": "AC" + "0" * 32,
            "sms_auth_token": "sms-auth-token-for-layout-tests",
            "sms_from_number": SMS_NUMBER,
            "sms_api_base_url": "http://127.0.0.1:9",
        }
    )
    asyncio.run(add_agents(settings, ("camille", "Camille")))
    try:
        with serve(settings, "layout-gateway") as url:
            yield Gateway(url=url, settings=settings)
    finally:
        bot_api.close()


def new_page(browser: Browser, size: tuple[int, int]) -> tuple[Page, Watched]:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page, Watched(page)


def answer_until_plan(page: Page, situation: str) -> None:
    """Describe a situation, then take the first choice of each question until the plan comes."""
    type_message(page, situation)
    calendar = page.locator(".dw-menu-item[href$='.ics']")
    for _ in range(MAX_QUESTIONS):
        expect(page.locator("li.dw-msg.dw-pending")).to_have_count(0)
        expect(page.locator("li.dw-msg").last).not_to_have_attribute("data-role", "user")
        if calendar.count():
            return
        page.locator(".dw-choice:not(:disabled)").first.click()
    raise AssertionError("no plan with dates after the questions")


def cut_words(page: Page) -> list[str]:
    words: list[str] = page.locator("#demarches-widget").evaluate(f"host => ({CUT_WORDS})(host.shadowRoot)")
    return words


def height(page: Page, selector: str) -> float:
    value: float = page.locator(selector).evaluate("node => node.getBoundingClientRect().height")
    return value


def visible_count(page: Page, name: str) -> int:
    """The buttons a person can press for this action now (past choices are disabled)."""
    buttons = page.get_by_role("button", name=name, exact=True).all()
    return sum(1 for b in buttons if b.is_visible() and b.is_enabled())


@pytest.mark.parametrize("size", sorted(SIZES))
def test_messages_room_menu_words_and_phone_code(phone_gateway: Gateway, browser: Browser, size: str) -> None:
    page, watched = new_page(browser, SIZES[size])
    page.goto(phone_gateway.url + "/")
    open_widget(page)

    # The conversation gets at least 70 % of the panel's height.
    share = height(page, ".dw-log") / height(page, ".dw-panel")
    assert share >= 0.70, share

    # A bot answer that offers a human: the action shows once, the menu does not repeat it.
    type_message(page, "tu es un robot ?")
    expect(page.locator(".dw-choice[data-payload='/ask_human']")).to_have_count(1)
    assert visible_count(page, "Parler à un conseiller") == 1
    menu_button = page.get_by_role("button", name="Options")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    menu_button.focus()
    page.keyboard.press("Enter")
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    phone = page.get_by_role("button", name="Continuer sur mon téléphone")
    expect(phone).to_be_focused()
    assert visible_count(page, "Parler à un conseiller") == 1
    page.keyboard.press("Escape")  # the menu closes, the panel stays
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(menu_button).to_be_focused()
    expect(page.get_by_role("dialog", name="Assistant démarches")).to_be_visible()
    expect(phone).to_be_hidden()

    # The phone code says where to send it.
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    note = page.locator(".dw-code")
    expect(note).to_contain_text(f"par SMS au {SMS_NUMBER} ou au bot Telegram {TELEGRAM_BOT}")
    expect(menu_button).to_have_attribute("aria-expanded", "false")

    # Up to a plan with dates: the menu offers the plan and the calendar file.
    answer_until_plan(page, "je déménage le 15 mars")
    menu_button.click()
    agenda = page.get_by_role("link", name="Ajouter les dates à mon agenda")
    expect(agenda).to_be_visible()
    assert (agenda.get_attribute("href") or "").endswith(".ics")
    expect(page.get_by_role("link", name="Mon plan à imprimer")).to_be_visible()
    assert visible_count(page, "Parler à un conseiller") == 1  # the menu's, the bot's choice is past
    share = height(page, ".dw-log") / height(page, ".dw-panel")
    assert share >= 0.70, share
    page.screenshot(path=str(SCREENSHOTS / f"widget-menu-{size}.png"))

    # 320 px wide: no word is cut, in the menu, the messages or the buttons.
    page.set_viewport_size({"width": 320, "height": 640})
    assert cut_words(page) == []
    box = page.locator(".dw-menu").evaluate("menu => menu.getBoundingClientRect().toJSON()")
    assert box["left"] >= 0 and box["right"] <= 320, box  # the open menu fits on the screen
    page.screenshot(path=str(SCREENSHOTS / f"widget-320-menu-{size}.png"))
    page.keyboard.press("Escape")
    assert cut_words(page) == []
    page.screenshot(path=str(SCREENSHOTS / f"widget-320-{size}.png"))
    assert watched.problems == [], watched.problems
    page.context.close()


def test_the_plan_pages_agenda_button_is_not_cut_at_320(phone_gateway: Gateway, browser: Browser) -> None:
    page, _ = new_page(browser, (320, 640))
    with httpx.Client(base_url=phone_gateway.url, timeout=30) as client:
        conversation = client.post("/api/conversations").json()["id"]
        body: dict[str, str] = {"text": "mon bébé est né le 2 décembre"}  # deadlines with dates
        for _ in range(MAX_QUESTIONS):
            messages = client.post(f"/api/conversations/{conversation}/messages", json=body).json()[
                "messages"
            ]
            words = [w for m in messages for w in (m["text"] or "").split()]
            links = [w for w in words if "/plans/" in w and w.endswith(".ics")]
            if links:
                break
            body = {"payload": next(b for m in messages for b in m["buttons"])["payload"]}
    assert links, messages
    page.goto(links[0].removesuffix(".ics"))
    button = page.get_by_role("link", name="Ajouter les dates à mon agenda")
    expect(button).to_be_visible()
    assert page.evaluate(f"({CUT_WORDS})(document.body)") == []
    # One box, inside the screen (not a label split across two lines or past the edge).
    boxes = button.evaluate("a => Array.from(a.getClientRects()).map(r => [r.left, r.right])")
    assert len(boxes) == 1 and boxes[0][0] >= 0 and boxes[0][1] <= 320, boxes
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.context.close()


def test_unread_count_and_agent_notices_while_closed(phone_gateway: Gateway, browser: Browser) -> None:
    page, watched = new_page(browser, SIZES["desktop"])
    page.goto(phone_gateway.url + "/")
    open_widget(page)
    type_message(page, "je veux parler à un conseiller")
    expect(page.locator("li.dw-msg[data-role=bot]", has_text="mets en relation")).to_have_count(1)
    page.get_by_role("button", name="Fermer l'assistant").click()
    launcher = page.get_by_role("button", name=OPEN)
    expect(launcher).to_be_visible()

    conversation = conversation_id(page, phone_gateway)
    host = page.locator("#demarches-widget")
    with httpx.Client(base_url=phone_gateway.url, timeout=30) as agent:
        token = agent.post("/api/auth/token", data={"username": "camille", "password": PASSWORD})
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        waiting = agent.get("/api/handoffs", headers=auth).json()["handoffs"]
        (handoff,) = [h for h in waiting if h["conversation_id"] == conversation]
        assert agent.post(f"/api/handoffs/{handoff['id']}/claim", headers=auth).status_code == 200
        expect(page.get_by_role("button", name="1 nouveau message")).to_be_visible()
        expect(page.locator(".dw-unread")).to_have_text("1")
        reply = agent.post(
            f"/api/handoffs/{handoff['id']}/messages",
            headers=auth,
            json={"text": "Bonjour, je regarde votre dossier."},
        )
        assert reply.status_code == 201
        expect(page.get_by_role("button", name="2 nouveaux messages")).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="2 nouveaux messages")).to_have_count(1)
        page.screenshot(path=str(SCREENSHOTS / "widget-unread.png"))

        # A reload keeps the count (what was seen is remembered); opening clears it.
        page.reload()
        expect(page.get_by_role("button", name="2 nouveaux messages")).to_be_visible()
        page.get_by_role("button", name="2 nouveaux messages").click()
        expect(page.locator("li.dw-msg[data-role=system]").last).to_contain_text(
            "Camille, du service d'accueil, a rejoint la conversation."
        )
        expect(host).to_have_attribute("data-unread", "0")
        page.keyboard.press("Escape")
        expect(page.get_by_role("button", name=OPEN)).to_be_visible()

        closed = agent.post(
            f"/api/handoffs/{handoff['id']}/close", headers=auth, json={"outcome": "resolved"}
        )
        assert closed.status_code == 200
    expect(page.get_by_role("button", name="1 nouveau message")).to_be_visible()
    page.get_by_role("button", name="1 nouveau message").click()
    expect(page.locator("li.dw-msg[data-role=system]").last).to_contain_text(
        "Camille a terminé la conversation : votre demande est traitée."
    )
    page.screenshot(path=str(SCREENSHOTS / "widget-agent-closed.png"))
    # The next message goes to the bot, which answers it.
    type_message(page, "allo ?")
    expect(page.locator("li.dw-msg[data-role=user]:not(.dw-pending)").last).to_have_text("Vous : allo ?")
    last_user = int(page.locator("li.dw-msg[data-role=user]").last.get_attribute("data-id") or 0)
    answer = page.locator(f"li.dw-msg[data-role=bot][data-id='{last_user + 1}']")
    expect(answer).to_have_count(1)
    expect(answer).not_to_contain_text("Je suis un assistant automatique")

    assert watched.problems == [], watched.problems
    page.context.close()
