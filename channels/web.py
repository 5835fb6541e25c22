"""The web channel (API and widget): plain text with clickable links, 1,000 characters a message."""

from __future__ import annotations

from channels.rendering import Renderer

WEB_MAX_CHARS = 1000


def web_renderer() -> Renderer:
    return Renderer("web", WEB_MAX_CHARS)
