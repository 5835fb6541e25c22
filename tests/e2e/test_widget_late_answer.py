"""A late answer (the action server was down) that arrives while the widget is closed is counted
on the launcher, like an agent's reply (headless Chromium, real gateway, Rasa and action server)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import FaultStack, serve, server_settings
from tests.e2e.test_widget_browser import OPEN, new_page, open_widget, type_message

DELAYED = "J'ai bien reçu votre message"
UNREAD = re.compile(r"^\d+ nouveaux? messages?$")


def test_a_late_answer_while_closed_is_counted(
    fault_stack: FaultStack, tmp_path: Path, browser: Browser
) -> None:
    settings = server_settings(fault_stack.settings, tmp_path / "late.db")
    with serve(settings, "late-answer-gateway") as url:
        context, page, watched = new_page(browser)
        page.goto(url + "/")
        open_widget(page)
        fault_stack.actions.stop()
        try:
            type_message(page, "je déménage")
            expect(page.locator("li.dw-msg[data-role=system]").last).to_contain_text(DELAYED)
            page.get_by_role("button", name="Fermer l'assistant").click()
            expect(page.get_by_role("button", name=OPEN)).to_be_visible()
        finally:
            fault_stack.actions.start()
            fault_stack.actions.wait_healthy()
        launcher = page.get_by_role("button", name=UNREAD)
        expect(launcher).to_be_visible(timeout=60_000)  # the retry delivers the answer
        count = int(page.locator("#demarches-widget").get_attribute("data-unread") or 0)
        assert count >= 1
        launcher.click()
        expect(page.locator("#demarches-widget")).to_have_attribute("data-unread", "0")
        bot = page.locator("li.dw-msg[data-role=bot]")
        expect(bot.last).to_contain_text("?")  # the late answer: the situation's first question
        assert watched.problems == [], watched.problems
        context.close()
