"""The channels the gateway knows, by name."""

from __future__ import annotations

from channels.base import ChannelAdapter
from channels.web import WebChannel


class ChannelRegistry:
    def __init__(self, adapters: list[ChannelAdapter]) -> None:
        self.adapters = {adapter.name: adapter for adapter in adapters}

    def get(self, name: str) -> ChannelAdapter:
        """The adapter of a channel; unknown names fall back to the web one."""
        return self.adapters.get(name) or self.adapters["web"]

    def register(self, adapter: ChannelAdapter) -> None:
        self.adapters[adapter.name] = adapter


def default_registry() -> ChannelRegistry:
    return ChannelRegistry([WebChannel()])
