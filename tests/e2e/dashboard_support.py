"""Data and set-up of the feedback dashboard's browser test: reports spread over three weeks.

Also `watch_scripts`, which the console's browser test uses too, and the sign-in and result
helpers of both dashboard tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from playwright.sync_api import ConsoleMessage, Page, Request, Response, expect

from assistant.auth.repository import AgentRepository
from assistant.config import PROJECT_ROOT, Settings
from assistant.conversations.repository import ConversationRepository
from assistant.feedback.repository import FeedbackRepository
from assistant.storage import Database
from assistant.storage.tables import feedback
from tests.e2e.conftest import PASSWORD

SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
XSS = "<img src=x onerror=alert(1)>"
FORMULA = "=SOMME(A1:A9) : je ne comprends pas ce calcul"
TIMEOUT_MS = 30_000

CARTE_GRISE = {
    "label": "Formulaire de changement d'adresse du certificat d'immatriculation",
    "kind": "form",
    "fiche_id": "R13567",
    "cerfa": "13750*07",
    "organisation": "ANTS",
}
CAF_LETTER = {"label": "Lettre de la CAF sur la prime d'activité", "kind": "letter", "organisation": "CAF"}
IMPOTS = {"label": "Notice de la déclaration de revenus", "kind": "notice", "fiche_id": "F358"}
URSSAF = {"label": "Site de l'Urssaf pour les indépendants", "kind": "website", "organisation": "Urssaf"}
RSA = {
    "label": "Demande de RSA",
    "kind": "form",
    "fiche_id": "R1232",
    "cerfa": "15481*01",
    "organisation": "Conseil départemental",
}


def watch_scripts(page: Page, failed: list[str] | None = None) -> list[str]:
    """The scripts (ES modules included) that fail to load, as they come (added to `failed` if given)."""
    failed = [] if failed is None else failed

    def on_response(response: Response) -> None:
        if response.request.resource_type == "script" and not response.ok:
            failed.append(f"{response.status} {response.url}")

    def on_failure(request: Request) -> None:
        if request.resource_type == "script":
            failed.append(f"failed {request.url}")

    def on_console(message: ConsoleMessage) -> None:
        # For example a module served without CORS, or with the wrong content type.
        if message.type == "error" and "module" in message.text.lower():
            failed.append(message.text)

    page.on("response", on_response)
    page.on("requestfailed", on_failure)
    page.on("console", on_console)
    return failed


@dataclass
class Gateway:
    url: str
    settings: Settings
    references: dict[str, str]


def reports() -> list[tuple[str, int, dict[str, Any]]]:
    """(name, age in days, report): three weeks, five documents, four organisations, six categories."""
    base: dict[str, Any] = {"suggestion": None, "contact_consent": False, "contact": None, "situations": []}
    items: list[tuple[str, int, dict[str, Any]]] = [
        (
            "ants-old",
            14,
            {**base, "document": CARTE_GRISE, "categories": ["jargon"], "description": "Que veut dire CPI ?"},
        ),
        (
            "ants-mid",
            7,
            {
                **base,
                "document": CARTE_GRISE,
                "categories": ["jargon", "too_long"],
                "description": "Trop long.",
            },
        ),
        (
            "xss",
            0,
            {
                **base,
                "document": CARTE_GRISE,
                "categories": ["hard_to_fill"],
                "description": XSS,
                "suggestion": XSS + " <b>gras</b>",
                "situations": ["F14128"],
            },
        ),
        (
            "formula",
            0,
            {**base, "document": CAF_LETTER, "categories": ["missing_info"], "description": FORMULA},
        ),
        (
            "caf-contact",
            7,
            {
                **base,
                "document": CAF_LETTER,
                "categories": ["jargon"],
                "description": "Des sigles partout.",
                "suggestion": "Un glossaire en bas de page.",
                "contact_consent": True,
                "contact": "camille@exemple.fr",
            },
        ),
        (
            "impots",
            14,
            {**base, "document": IMPOTS, "categories": ["too_long"], "description": "Quarante pages."},
        ),
        (
            "urssaf",
            0,
            {
                **base,
                "document": URSSAF,
                "categories": ["unclear_documents"],
                "description": "Quelles pièces ?",
            },
        ),
    ]
    for index in range(5):
        items.append(
            (
                f"rsa-{index}",
                7 * (index % 3),
                {**base, "document": RSA, "categories": ["other"], "description": f"Question {index}."},
            )
        )
    return items


async def prepare_reports(settings: Settings) -> dict[str, str]:
    """Accounts, one conversation, and the reports, written before the gateway starts."""
    database = Database(settings.sqlalchemy_url)
    await database.start()
    try:
        agents = AgentRepository(database)
        await agents.add("amelie", PASSWORD, "admin", "Amélie Admin")
        await agents.add("bruno", PASSWORD, "agent", "Bruno Petit")
        conversation = await ConversationRepository(database).create("web")
        repository = FeedbackRepository(database)
        now = datetime.now(timezone.utc)
        references: dict[str, str] = {}
        for name, age, report in reports():
            linked = conversation.id if name == "xss" else None
            reference, _ = await repository.add(linked, "telegram" if name == "urssaf" else "web", report)
            references[name] = reference
            async with database.connect() as conn:
                await conn.execute(
                    feedback.update()
                    .where(feedback.c.reference == reference)
                    .values(created_at=now - timedelta(days=age))
                )
        references["conversation"] = conversation.id
        return references
    finally:
        await database.stop()


def login_with_keyboard(page: Page, url: str, username: str) -> None:
    page.goto(url + "/admin/feedback")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.get_by_label("Identifiant")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def api_json(page: Page, path: str) -> Any:
    """The API with the page's own session cookie."""
    response = page.request.get(path)
    assert response.ok, (path, response.status, response.text())
    return response.json()


def expect_results(page: Page, total: int, query: str) -> None:
    count = page.locator("#results-count")
    expect(count).to_have_attribute("data-query", query)
    expect(count).to_have_attribute("data-total", str(total))
