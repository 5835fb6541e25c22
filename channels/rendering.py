"""Turn channel-neutral dialogue output into what one channel can show.

Actions send structured payloads (`{"type": "plan", ...}`) as Rasa custom messages; each
channel module renders them with its own Jinja templates (`channels/templates/<channel>/`)
and its own size limits. Dialogue code never formats for a channel.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2

from assistant.conversations.models import Button, OutboundMessage
from assistant.french.dates import format_date_fr

TEMPLATES = Path(__file__).parent / "templates"
MESSAGE_BREAK = "---8<---"  # a template line that starts a new message


def french_date(value: str | None) -> str:
    """`2027-03-24` → `24 mars 2027` (the year only when it is not this year)."""
    return format_date_fr(date.fromisoformat(value)) if value else ""


WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def french_datetime(value: str | None) -> str:
    """`2026-11-23T09:00:00+01:00` → `le lundi 23 novembre à 9 h 00`."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    day = format_date_fr(moment.date())
    return f"le {WEEKDAYS[moment.weekday()]} {day} à {moment.hour} h {moment.minute:02d}"


def split_text(text: str, limit: int) -> list[str]:
    """Cut `text` into parts of at most `limit` characters, at paragraph, line or word ends."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind(sep, 0, limit + 1) for sep in ("\n\n", "\n"))
        if cut <= limit // 3:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    if rest:
        parts.append(rest)
    return parts


class Renderer:
    """Renders custom payloads with a channel's templates and enforces its message size."""

    def __init__(self, channel: str, max_chars: int) -> None:
        self.channel = channel
        self.max_chars = max_chars

    @cached_property
    def env(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([TEMPLATES / self.channel, TEMPLATES / "web"]),  # web: fallback
            autoescape=False,  # noqa: S701 - chat text, not HTML: pages and widgets escape it
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            undefined=jinja2.StrictUndefined,
        )
        env.filters["french_date"] = french_date
        env.filters["french_datetime"] = french_datetime
        return env

    def render(self, messages: Iterable[OutboundMessage]) -> list[OutboundMessage]:
        out: list[OutboundMessage] = []
        for message in messages:
            out.extend(self.render_one(message))
        return out

    def render_one(self, message: OutboundMessage) -> list[OutboundMessage]:
        custom = message.custom
        if custom is None or not isinstance(custom.get("type"), str):
            return self._sized(message.text or "", message.buttons, custom)
        kind = custom["type"]
        try:
            template = self.env.get_template(f"{kind}.j2")
        except jinja2.TemplateNotFound:
            return self._sized(message.text or "", message.buttons, custom)
        rendered = template.render(**self.context(custom))
        parts = [p.strip() for p in rendered.split(MESSAGE_BREAK) if p.strip()]
        buttons = message.buttons or tuple(Button(**b) for b in custom.get("buttons") or ())
        out: list[OutboundMessage] = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            out += self._sized(part, buttons if last else (), custom if i == 0 else None)
        return out

    def context(self, custom: dict[str, Any]) -> dict[str, Any]:
        return dict(custom)

    def _sized(
        self, text: str, buttons: tuple[Button, ...], custom: dict[str, Any] | None
    ) -> list[OutboundMessage]:
        if not text:
            return [OutboundMessage(text=None, buttons=buttons, custom=custom)] if buttons else []
        parts = split_text(text, self.max_chars)
        last = len(parts) - 1
        return [
            OutboundMessage(
                text=part, buttons=buttons if i == last else (), custom=custom if i == 0 else None
            )
            for i, part in enumerate(parts)
        ]
