"""A tiny stand-in for the gateway API and Rasa's REST channel, served by uvicorn on a free port."""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI, HTTPException

from assistant import texts


def answer(choice_id: str) -> dict[str, str]:
    return {"title": choice_id, "payload": "/answer" + json.dumps({"choice_id": choice_id})}


def bot_replies(message: str) -> list[dict[str, Any]]:
    """A question with two answer buttons (and "je ne sais pas") after a situation, for two questions."""
    if "déménage" in message or "logement" in message:
        buttons = [answer("F14128-q1-c0"), answer("F14128-q1-c1"), answer("F14128-q1-skip")]
        return [{"text": "Êtes-vous locataire ?", "buttons": buttons}]
    if "F14128-q1" in message:
        return [{"text": "Des enfants ?", "buttons": [answer("F14128-q2-c0"), answer("F14128-q2-c1")]}]
    return [{"text": f"Réponse à : {message}", "buttons": []}]


def make_app(mode: str = "ok") -> FastAPI:
    """`ok`, `delayed` (the gateway's delayed-answer message) or `error` (HTTP 500 on messages)."""
    app = FastAPI()

    @app.post("/api/conversations", status_code=201)
    async def create() -> dict[str, Any]:
        return {"id": secrets.token_urlsafe(8), "messages": [{"role": "bot", "text": "Bonjour"}]}

    @app.post("/api/conversations/{cid}/messages")
    async def post(cid: str, body: dict[str, Any]) -> dict[str, Any]:
        if mode == "error":
            raise HTTPException(status_code=500)
        if mode == "delayed":
            return {"id": cid, "messages": [{"role": "system", "text": texts.text("delayed_answer")}]}
        replies = bot_replies(body.get("text") or body.get("payload") or "")
        return {"id": cid, "messages": [{"role": "bot", **r} for r in replies]}

    @app.post("/webhooks/rest/webhook")
    async def rest(body: dict[str, Any]) -> list[dict[str, Any]]:
        replies = bot_replies(body["message"])
        return [{"recipient_id": body["sender"], **r} for r in replies]

    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(mode: str = "ok") -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(make_app(mode), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="fake-bot", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the fake bot did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
