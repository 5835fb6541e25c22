"""The channels the gateway knows, by name."""

from __future__ import annotations

from channels.base import ChannelAdapter


class ChannelRegistry:
    """Satisfies the services' `ChannelLookup`: they render and deliver through it."""

    def __init__(self, adapters: list[ChannelAdapter]) -> None:
        self.adapters = {adapter.name: adapter for adapter in adapters}

    def get(self, name: str) -> ChannelAdapter:
        """The adapter of a channel; unknown names fall back to the web one."""
        return self.adapters.get(name) or self.adapters["web"]

    def names(self) -> list[str]:
        """The configured channels."""
        return list(self.adapters)
