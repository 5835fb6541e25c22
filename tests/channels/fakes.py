"""Local stand-ins for the Telegram Bot API and the SMS provider's REST API, recording every call."""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from tests.helpers import free_port


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeServer:
    """An http.server on 127.0.0.1 and a free port, in a daemon thread."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                if "json" in (self.headers.get("content-type") or ""):
                    params = json.loads(raw or "{}")
                else:
                    params = dict(parse_qsl(raw, keep_blank_values=True))
                status, body = server.handle(self.path, params, dict(self.headers.items()))
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, path: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        """Subclasses answer the calls they implement; anything else is an unknown method."""
        return 404, {"ok": False, "description": f"Not Found: {path}"}

    def record(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)

    def named(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; calls: {self.calls}")
            time.sleep(0.02)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class FakeBotApi(FakeServer):
    """getMe, sendMessage, answerCallbackQuery, setWebhook, deleteWebhook, getUpdates."""

    TOKEN = "123456:TEST-token"

    def __init__(self) -> None:
        super().__init__()
        self.updates: list[dict[str, Any]] = []
        self.message_id = 1000

    def handle(self, path: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        prefix = f"/bot{self.TOKEN}/"
        if not path.startswith(prefix):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        method = path[len(prefix) :]
        for key in ("reply_markup", "allowed_updates", "chat_id", "offset", "timeout"):
            if isinstance(params.get(key), str):
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(params[key])
        self.record(Call(method, params))
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 42, "is_bot": True, "first_name": "Démarches",
                                                "username": "demarches_test_bot"}}  # fmt: skip
        if method == "sendMessage":
            with self.lock:
                self.message_id += 1
                message_id = self.message_id
            result = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": params["text"],
            }
            return 200, {"ok": True, "result": result}
        if method in ("answerCallbackQuery", "setWebhook", "deleteWebhook"):
            return 200, {"ok": True, "result": True}
        if method == "getUpdates":
            with self.lock:
                offset = int(params.get("offset") or 0)
                updates = [u for u in self.updates if u["update_id"] >= offset]
            return 200, {"ok": True, "result": updates}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}

    def sent_texts(self) -> list[str]:
        return [c.params["text"] for c in self.named("sendMessage")]


class FakeSmsApi(FakeServer):
    """`POST /2010-04-01/Accounts/{sid}/Messages.json` with basic auth, as the provider's REST API."""

    SID = "AC" + "0" * 32
    TOKEN = "sms-auth-token-for-tests"
    failures = 0  # the next so many messages are refused with a 503 (an outage of the provider)

    def reset(self) -> None:
        super().reset()
        self.failures = 0

    def handle(self, path: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        expected = "Basic " + base64.b64encode(f"{self.SID}:{self.TOKEN}".encode()).decode()
        lowered = {k.lower(): v for k, v in headers.items()}
        if path != f"/2010-04-01/Accounts/{self.SID}/Messages.json":
            return 404, {"message": "not found"}
        if lowered.get("authorization") != expected:
            return 401, {"message": "authenticate"}
        with self.lock:
            if self.failures > 0:
                self.failures -= 1
                return 503, {"message": "service unavailable"}
        self.record(Call("Messages", params, lowered))
        return 201, {"sid": f"SM{len(self.calls):032d}", "status": "queued"}

    def bodies(self, to: str | None = None) -> list[str]:
        return [c.params["Body"] for c in self.named("Messages") if to is None or c.params["To"] == to]
