"""Schema-driven fuzzing of every HTTP operation of `app.openapi()` (hypothesis, bounded budget).

The gateway runs in-process with a real SQLite file (then on PostgreSQL), Telegram and SMS
configured against the local fake provider APIs, and a Rasa URL where nothing listens: routes
that need Rasa must answer 503 with a JSON error, never 500. For each example: an operation,
path parameters (real ids or any text), query parameters, a JSON or form body (valid per the
schema, or any JSON value), with or without an admin's token. Every answer must be below 500
(or the JSON 503), and every 4xx a JSON `{"error": {"code", "message"}}`. `derandomize=True`:
the same examples on every run.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.gateway.app import create_app
from tests.channels.conftest import WEBHOOK_SECRET
from tests.channels.fakes import FakeBotApi, FakeSmsApi
from tests.conftest import make_settings
from tests.helpers import free_port

MAX_EXAMPLES = {"sqlite": 800, "postgresql": 400}  # about 13 s and 6 s on an idle 2-core machine
STREAMS = {"/api/handoffs/events", "/api/handoffs/{handoff_id}/events"}  # endless when authorised
AGENT_PASSWORD = "mot-de-passe-tres-solide"

Schema = dict[str, Any]
Operation = tuple[str, str, Schema]


class Fuzzed:
    def __init__(
        self, backend: str, client: TestClient, spec: Schema, ids: dict[str, list[str]], admin: str
    ) -> None:
        self.backend = backend
        self.client = client
        self.spec = spec
        self.ids = ids
        self.admin = admin


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzzed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    """The gateway on a real SQLite file, then on PostgreSQL (which refuses NUL characters)."""
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    database_url = f"sqlite:///{tmp / 'fuzz.db'}"
    if request.param == "postgresql":
        database_url = request.getfixturevalue("postgres_url")
    bot, sms = FakeBotApi(), FakeSmsApi()
    app_settings = make_settings(
        tmp,
        database_url=database_url,
        rasa_port=free_port(),  # nothing listens there: "Rasa unavailable"
        rasa_timeout=2.0,
        public_base_url="https://gateway.test",
        telegram_bot_token=bot.TOKEN,
        telegram_webhook_secret=WEBHOOK_SECRET,
        telegram_api_base_url=bot.url,
        sms_account_sid=sms.SID,
        sms_auth_token=sms.TOKEN,
        sms_from_number="+33700000000",
        sms_api_base_url=sms.url,
    )
    try:
        with TestClient(create_app(app_settings), follow_redirects=False) as client:
            state = client.app.state.services  # type: ignore[attr-defined]
            assert client.portal is not None
            client.portal.call(state.agents.add, "fuzz-admin", AGENT_PASSWORD, "admin")
            login = client.post(
                "/api/auth/token", data={"username": "fuzz-admin", "password": AGENT_PASSWORD}
            )
            assert login.status_code == 200, login.text
            conversation = client.post("/api/conversations")
            assert conversation.status_code == 201, conversation.text
            ids = {"id": [conversation.json()["id"]], "handoff_id": [], "token": [], "reference": []}
            spec = client.app.openapi()  # type: ignore[attr-defined]
            yield Fuzzed(request.param, client, spec, ids, login.json()["access_token"])
    finally:
        bot.close()
        sms.close()


def operations(spec: Schema) -> list[Operation]:
    return [
        (method.upper(), path, operation)
        for path, methods in sorted(spec["paths"].items())
        for method, operation in sorted(methods.items())
    ]


def resolve(spec: Schema, schema: Schema) -> Schema:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


ANY_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "../../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "<img src=x onerror=alert(1)>",
        '=HYPERLINK("http://x")',
        "é" * 3000,
        "\u202e\u200b",
        "'; DROP TABLE messages; --",
        "%00",
        "9" * 40,
        "-1",
    ]
)
TEXT = st.text(max_size=60) | HOSTILE_TEXT


def from_schema(spec: Schema, schema: Schema, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values that follow the schema most of the time (types, enums, required fields)."""
    schema = resolve(spec, schema)
    if depth > 4:
        return ANY_JSON
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return st.one_of([from_schema(spec, s, depth + 1) for s in schema[key]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties: dict[str, Schema] = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: from_schema(spec, v, depth + 1) for k, v in properties.items() if k in required},
            optional={k: from_schema(spec, v, depth + 1) for k, v in properties.items() if k not in required},
        )
    if kind == "array":
        return st.lists(from_schema(spec, schema.get("items", {}), depth + 1), max_size=4)
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        return (
            st.integers(
                min_value=int(low) if low is not None else None,
                max_value=int(high) if high is not None else None,
            )
            | st.integers()
        )
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates().map(str) | TEXT
        return TEXT
    return ANY_JSON


@st.composite
def requests(draw: st.DrawFn, fuzzed: Fuzzed) -> dict[str, Any]:
    method, path, operation = draw(st.sampled_from(operations(fuzzed.spec)))
    authorised = path not in STREAMS and draw(st.booleans())
    url = path
    query: dict[str, Any] = {}
    headers: dict[str, str] = {}
    for parameter in operation.get("parameters", []):
        name, where = parameter["name"], parameter["in"]
        value = draw(from_schema(fuzzed.spec, parameter.get("schema", {})))
        if where == "path":
            known = fuzzed.ids.get(name, [])
            text = draw(st.sampled_from(known)) if known and draw(st.booleans()) else str(value)
            url = url.replace("{" + name + "}", _quote(text or "x"))
        elif where == "query" and draw(st.booleans()):
            query[name] = value if isinstance(value, (str, int)) else json.dumps(value)
        elif where == "header" and draw(st.booleans()):
            headers[name] = draw(st.sampled_from([WEBHOOK_SECRET, "faux", secrets.token_hex(8)]))
    if authorised:
        headers["Authorization"] = "Bearer " + fuzzed.admin
    body: dict[str, Any] = {}
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        schema = content["application/json"]["schema"]
        body["json"] = draw(from_schema(fuzzed.spec, schema) | ANY_JSON)
    elif "application/x-www-form-urlencoded" in content:
        schema = resolve(fuzzed.spec, content["application/x-www-form-urlencoded"]["schema"])
        fields = draw(st.dictionaries(st.sampled_from(sorted(schema["properties"])), TEXT, max_size=6))
        body["data"] = fields
    elif path.startswith("/channels/") and draw(st.booleans()):
        body["json"] = draw(
            ANY_JSON | st.fixed_dictionaries({"update_id": st.integers()}, optional={"message": ANY_JSON})
        )
    return {"method": method, "url": url, "params": query, "headers": headers, "operation": path, **body}


def _quote(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.~-]", lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), text)


def check(response: Any, request: dict[str, Any]) -> None:
    where = f"{request['method']} {request['url']} {request.get('params')}"
    assert response.status_code < 500 or response.status_code == 503, (
        where,
        response.status_code,
        response.text,
    )
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/json"), where
        if response.url.path != "/healthz":
            error = response.json()["error"]
            assert error["code"] and error["message"], where
    assert "Traceback" not in response.text, where


def test_every_operation_never_fails_with_a_500(fuzzed: Fuzzed) -> None:
    seen: set[tuple[str, str]] = set()
    statuses: dict[int, int] = {}

    @settings(
        max_examples=MAX_EXAMPLES[fuzzed.backend],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        request = data.draw(requests(fuzzed))
        seen.add((request["method"], request.pop("operation")))
        response = fuzzed.client.request(**request)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        check(response, request)

    run()
    counts = dict(sorted(statuses.items()))
    print(f"\nfuzz ({fuzzed.backend}): {sum(statuses.values())} requests, statuses {counts}")
    assert len(seen) >= len(operations(fuzzed.spec)) - 3, sorted(seen)  # nearly every operation was tried
