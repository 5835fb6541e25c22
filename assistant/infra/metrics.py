"""Prometheus metrics of one gateway process, served at /metrics."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.messages = Counter(
            "assistant_messages_total", "Messages stored, by channel and role", ["channel", "role"],
            registry=self.registry,
        )  # fmt: skip
        self.reply_seconds = Histogram(
            "assistant_reply_seconds", "Time for the dialogue engine to answer a message", ["channel"],
            buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.errors = Counter(
            "assistant_errors_total", "Failures, by component", ["component"], registry=self.registry
        )
        self.handoffs_waiting = Gauge(
            "assistant_handoffs_waiting", "Conversations waiting for an agent", registry=self.registry
        )
        self.http_requests = Counter(
            "assistant_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_seconds = Histogram(
            "assistant_http_request_seconds", "HTTP request duration", ["route"],
            buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip

    def render(self) -> bytes:
        return generate_latest(self.registry)


class RequestMetrics:
    """Counts requests by route template (never by raw path: ids would explode the labels)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            state = getattr(scope.get("app"), "state", None)
            metrics = getattr(getattr(state, "services", None), "metrics", None)
            route = getattr(scope.get("route"), "path", "unmatched")
            if isinstance(metrics, Metrics):
                metrics.http_requests.labels(scope["method"], route, str(status["code"])).inc()
                metrics.http_seconds.labels(route).observe(time.perf_counter() - started)
