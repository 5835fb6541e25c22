"""SMS rendering: plain short text, short links, buttons as numbered choices."""

from __future__ import annotations

import re
from typing import Any

from assistant.conversations.models import OutboundMessage
from channels.rendering import Renderer

SMS_MAX_CHARS = 1600  # what providers accept in one request; segments are handled when sending
SMS_PLAN_ITEMS_PER_MESSAGE = 3
_OFFICIAL = re.compile(
    r"^https?://www\.service-public\.fr/(particuliers|professionnels-entreprises|associations)"
    r"/vosdroits/([A-Z]{1,2}\d{1,6})$"
)
FICHE_ID = re.compile(r"^[A-Z]{1,2}\d{1,6}$")
AUDIENCES = {"particuliers": "", "professionnels-entreprises": "pro/", "associations": "asso/"}
# Typography that would force the whole SMS into UCS-2 (70 characters a part instead of 160).
_PLAIN = str.maketrans(
    {
        "’": "'", "‘": "'", "«": '"', "»": '"', "“": '"', "”": '"', "…": "...",
        "\u00a0": " ", "\u202f": " ", "–": "-", "—": "-", "œ": "oe", "Œ": "OE",
    }
)  # fmt: skip


def plain(text: str) -> str:
    return text.translate(_PLAIN)


class SmsRenderer(Renderer):
    def __init__(self, public_url: str) -> None:
        super().__init__("sms", SMS_MAX_CHARS)
        self.public_url = public_url

    def short(self, url: str) -> str:
        """An official fiche's link through the gateway's short redirect (`/l/F1168`)."""
        match = _OFFICIAL.match(url or "")
        if match is None:
            return url
        return f"{self.public_url}/l/{AUDIENCES[match.group(1)]}{match.group(2)}"

    def context(self, custom: dict[str, Any]) -> dict[str, Any]:
        return {**custom, "short": self.short, "items_per_message": SMS_PLAN_ITEMS_PER_MESSAGE}

    def render_one(self, message: OutboundMessage) -> list[OutboundMessage]:
        out: list[OutboundMessage] = []
        for part in super().render_one(message):
            text = plain(part.text or "")
            if part.buttons:
                choices = self.env.get_template("choices.j2").render(buttons=part.buttons)
                text = f"{text}\n{plain(choices)}".strip()
            out.append(OutboundMessage(text=text, buttons=part.buttons, custom=part.custom))
        return out
