"""Hostile input against the real gateway (real Rasa, real SQLite or PostgreSQL): always a 4xx with a
French JSON error, never a 500; nothing stored twice, nothing stored before lost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from assistant.config import Settings
from assistant.gateway.app import create_app
from tests.conftest import add_agent

LIMIT = 64 * 1024
FRENCH = ("é", "è", "à", "ç", "requête", "message", "corps", "trop", "introuvable", "invalide")


def open_conversation(client: TestClient) -> str:
    response = client.post("/api/conversations")
    assert response.status_code == 201, response.text
    conversation: str = response.json()["id"]
    return conversation


def user_texts(client: TestClient, conversation: str) -> list[str]:
    response = client.get(f"/api/conversations/{conversation}/messages")
    assert response.status_code == 200, response.text
    return [m["text"] for m in response.json()["messages"] if m["role"] == "user"]


def assert_french_error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    message: str = error["message"]
    assert error["code"] and message
    assert any(word in message.lower() for word in FRENCH), message
    assert "Traceback" not in response.text and "sqlalchemy" not in response.text.lower()
    return message


@pytest.fixture
def conversation(gateway: TestClient) -> Iterator[str]:
    """A conversation with one message already answered: what every test must leave intact."""
    conversation = open_conversation(gateway)
    reply = gateway.post(f"/api/conversations/{conversation}/messages", json={"text": "bonjour"})
    assert reply.status_code == 200, reply.text
    yield conversation
    assert user_texts(gateway, conversation)[0] == "bonjour"


def post_raw(client: TestClient, conversation: str, body: Any, content_type: str = "application/json") -> Any:
    return client.post(
        f"/api/conversations/{conversation}/messages", content=body, headers={"content-type": content_type}
    )


def test_body_over_the_limit_is_413(gateway: TestClient, conversation: str) -> None:
    body = json.dumps({"text": "a" * (LIMIT + 10)}).encode()
    message = assert_french_error(post_raw(gateway, conversation, body), 413)
    assert "64 Ko" in message
    assert user_texts(gateway, conversation) == ["bonjour"]


def test_chunked_body_without_content_length_is_413(gateway: TestClient, conversation: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(20):
            yield b"b" * 4096
        yield b'"}'

    response = post_raw(gateway, conversation, chunks())
    assert "content-length" not in response.request.headers
    assert_french_error(response, 413)
    assert user_texts(gateway, conversation) == ["bonjour"]


def test_streamed_body_is_cut_as_soon_as_it_passes_the_limit(gateway: TestClient, conversation: str) -> None:
    """A raw ASGI request in many parts, without Content-Length: refused before its end is read."""
    app = gateway.app
    pulled = 0
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"/api/conversations/{conversation}/messages",
        "raw_path": f"/api/conversations/{conversation}/messages".encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"c" * 8192, "more_body": pulled < 1000}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def call() -> None:
        await app(scope, receive, send)  # type: ignore[arg-type]

    assert gateway.portal is not None
    gateway.portal.call(call)
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 413
    assert pulled <= LIMIT // 8192 + 2  # 8 MB were offered, about 64 KB were read
    body = json.loads(b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))
    assert body["error"]["code"] == "payload_too_large"
    assert user_texts(gateway, conversation) == ["bonjour"]


def test_lying_content_length_is_refused(gateway: TestClient, conversation: str) -> None:
    for value in ("abc", "-1", str(LIMIT + 1)):
        response = gateway.post(
            f"/api/conversations/{conversation}/messages",
            content=b'{"text": "bonjour"}',
            headers={"content-type": "application/json", "content-length": value},
        )
        assert response.status_code in (400, 413), value
        assert response.json()["error"]["message"]
    assert user_texts(gateway, conversation) == ["bonjour"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'{"text": "\xff\xfe bonjour"}', "application/json", 400),  # invalid UTF-8
        (b"\xc3\x28\xa0\xa1", "application/json", 400),
        (b"text=bonjour", "application/x-www-form-urlencoded", 422),
        (b"bonjour", "text/plain", 422),
        (b"", "application/json", 422),
        (b"null", "application/json", 422),
        (b'"bonjour"', "application/json", 422),
        (b'{"text": "bonjour"', "application/json", 422),
        (b"[" * 10_000 + b"]" * 10_000, "application/json", 400),  # nested 10,000 deep
        (b'{"text": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", "application/json", 400),
        (b'{"text": ' + b"[" * 500 + b"]" * 500 + b"}", "application/json", 422),
    ],
    ids=[
        "utf8-in-string",
        "utf8-raw",
        "form",
        "text-plain",
        "empty",
        "null",
        "string",
        "truncated",
        "nested-10000",
        "nested-10000-in-field",
        "nested-500-in-field",
    ],
)
def test_unreadable_bodies_are_4xx(
    gateway: TestClient, conversation: str, body: bytes, content_type: str, status: int
) -> None:
    assert_french_error(post_raw(gateway, conversation, body, content_type), status)
    assert user_texts(gateway, conversation) == ["bonjour"]


def test_control_characters_are_stripped_before_storage(gateway: TestClient, conversation: str) -> None:
    text = "je\x00 dé\x07mé\x1bnage\u202e\u200b\x7f"
    response = gateway.post(f"/api/conversations/{conversation}/messages", json={"text": text})
    assert response.status_code == 200, response.text
    assert user_texts(gateway, conversation) == ["bonjour", "je déménage"]
    only_controls = gateway.post(
        f"/api/conversations/{conversation}/messages", json={"text": "\x00\x01\u200b"}
    )
    assert_french_error(only_controls, 422)
    assert user_texts(gateway, conversation) == ["bonjour", "je déménage"]


def test_nul_characters_never_reach_postgresql(rasa_stack: Settings, postgres_url: str) -> None:
    """PostgreSQL refuses NUL in text: every field a person or an agent types is cleaned first."""
    settings = rasa_stack.copy(update={"database_url": postgres_url})
    with TestClient(create_app(settings)) as client:
        conversation = open_conversation(client)
        reply = client.post(f"/api/conversations/{conversation}/messages", json={"text": "bon\x00jour"})
        assert reply.status_code == 200, reply.text
        assert user_texts(client, conversation) == ["bonjour"]
        login = client.post("/api/auth/token", data={"username": "ad\x00min", "password": "x\x00y"})
        assert_french_error(login, 400)
        token = add_agent(client, "nul-agent")
        auth = {"Authorization": "Bearer " + token}
        for path in (
            "/api/handoffs/a%00b",
            "/api/feedback/REF%00",
            "/api/conversations/abcdefghijklmnop%00/messages",
            "/plans/abc%00def",
        ):
            response = client.get(path, headers=auth)
            assert 400 <= response.status_code < 500, (path, response.text)
        listed = client.get("/api/handoffs", params={"status": "waiting\x00"}, headers=auth)
        assert listed.status_code == 422
        linked = client.post("/api/conversations/link", json={"code": "AB\x00CDE"})
        assert 400 <= linked.status_code < 500, linked.text
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        texts = [row[0] for row in conn.execute(sa.text("SELECT text FROM messages WHERE role = 'user'"))]
    engine.dispose()
    assert "bonjour" in texts and not any("\x00" in (t or "") for t in texts)


def test_very_long_words(gateway: TestClient, conversation: str) -> None:
    word = "anticonstitutionnellement" * 80  # 2,000 characters, no space
    accepted = gateway.post(f"/api/conversations/{conversation}/messages", json={"text": word})
    assert accepted.status_code == 200, accepted.text
    too_long = gateway.post(f"/api/conversations/{conversation}/messages", json={"text": "x" * 50_000})
    assert "2000" in assert_french_error(too_long, 422)
    huge = gateway.post(f"/api/conversations/{conversation}/messages", json={"text": "y" * 100_000})
    assert_french_error(huge, 413)
    assert user_texts(gateway, conversation) == ["bonjour", word]


def test_html_in_messages_is_stored_and_returned_as_text(gateway: TestClient, conversation: str) -> None:
    xss = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    response = gateway.post(f"/api/conversations/{conversation}/messages", json={"text": xss})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert user_texts(gateway, conversation) == ["bonjour", xss]


TRAVERSALS = [
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%252F..%252Fetc%252Fpasswd",
    "..\\..\\windows\\win.ini",
    "%00",
    "....//....//etc/passwd",
]
ID_ROUTES = [
    ("GET", "/api/conversations/{}/messages"),
    ("POST", "/api/conversations/{}/messages"),
    ("GET", "/api/conversations/{}/context"),
    ("DELETE", "/api/conversations/{}"),
    ("POST", "/api/conversations/{}/link-code"),
    ("GET", "/plans/{}"),
    ("GET", "/plans/{}.ics"),
    ("GET", "/api/handoffs/{}"),
    ("GET", "/api/handoffs/{}/events"),
    ("POST", "/api/handoffs/{}/claim"),
    ("POST", "/api/handoffs/{}/messages"),
    ("POST", "/api/handoffs/{}/notes"),
    ("POST", "/api/handoffs/{}/transfer"),
    ("POST", "/api/handoffs/{}/close"),
    ("GET", "/api/feedback/{}"),
    ("GET", "/l/{}"),
    ("GET", "/l/particuliers/{}"),
    ("GET", "/console/static/{}"),
    ("GET", "/admin/static/{}"),
    ("GET", "/common/static/{}"),
    ("GET", "/widget/static/{}"),
]
BODIES = {"messages": {"text": "bonjour"}, "notes": {"text": "note"}, "transfer": {"agent_id": 1}}
BODIES["close"] = {"outcome": "resolved"}


@pytest.mark.parametrize(("method", "route"), ID_ROUTES)
def test_path_traversal_in_ids(gateway: TestClient, conversation: str, method: str, route: str) -> None:
    admin = {"Authorization": "Bearer " + add_agent(gateway, "traversal-admin", role="admin")}
    body = BODIES.get(route.rstrip("/").split("/")[-1])
    for bad in TRAVERSALS:
        response = gateway.request(method, route.format(bad), headers=admin, json=body)
        assert 400 <= response.status_code < 500, (method, route, bad, response.status_code)
        assert response.headers["content-type"].startswith("application/json"), (route, bad)
        assert "root:" not in response.text and "[extensions]" not in response.text
    assert user_texts(gateway, conversation) == ["bonjour"]


def test_websocket_frame_over_the_limit_closes_and_keeps_the_conversation(
    gateway: TestClient, conversation: str
) -> None:
    before = gateway.get(f"/api/conversations/{conversation}/messages").json()["messages"]
    url = f"/ws/conversations/{conversation}"
    frame = json.dumps({"type": "message", "text": "z" * (LIMIT + 1), "client_id": "hostile-frame-1"})
    with pytest.raises(WebSocketDisconnect) as closed, gateway.websocket_connect(url) as ws:
        ws.send_text(frame)
        ws.receive_json()
    assert closed.value.code == 1009
    with pytest.raises(WebSocketDisconnect) as closed_bytes, gateway.websocket_connect(url) as ws:
        ws.send_bytes(b"\xff" * (LIMIT + 1))
        ws.receive_json()
    assert closed_bytes.value.code == 1009
    assert gateway.get(f"/api/conversations/{conversation}/messages").json()["messages"] == before
    with gateway.websocket_connect(f"/ws/conversations/{conversation}") as ws:  # a new socket works
        ws.send_json({"type": "message", "text": "je déménage", "client_id": "hostile-frame-2"})
        while ws.receive_json() != {"type": "typing", "active": False}:
            pass
    assert user_texts(gateway, conversation) == ["bonjour", "je déménage"]


def test_websocket_hostile_frames_are_refused_and_the_socket_stays(
    gateway: TestClient, conversation: str
) -> None:
    with gateway.websocket_connect(f"/ws/conversations/{conversation}") as ws:
        for raw in (
            "[" * 10_000 + "]" * 10_000,
            '{"type": "message", "text": "\u0000\u0001", "client_id": "hostile-frame-3"}',
            '{"type": "message", "text": "bonjour", "client_id": "../../etc/passwd"}',
        ):
            ws.send_text(raw)
            frame = ws.receive_json()
            assert frame["type"] == "error" and frame["message"], raw[:40]
        ws.send_bytes(b"\xff\xfe")
        assert ws.receive_json()["type"] == "error"
    assert user_texts(gateway, conversation) == ["bonjour"]


def test_settings_bound_the_body_size(rasa_stack: Settings, tmp_path: Path) -> None:
    settings = rasa_stack.copy(
        update={"database_url": f"sqlite:///{tmp_path / 'small.db'}", "max_body_bytes": 2048}
    )
    with TestClient(create_app(settings)) as client:
        conversation = open_conversation(client)
        body = json.dumps({"text": "é" * 1500}).encode()
        assert len(body) > 2048
        assert "2 Ko" in assert_french_error(post_raw(client, conversation, body), 413)
        assert user_texts(client, conversation) == []
