"""Our Rasa launcher: action responses still validated, the schema itself checked only once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions import action
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from assistant.config import Settings, read_settings
from assistant.rasa.server import bound_action_calls, check_action_schema_once


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """check_action_schema_once applied, with a count of meta-schema checks; undone afterwards."""
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    cls = validator_for(RemoteAction.action_response_format_spec())
    original = cls.check_schema
    calls: list[int] = []

    def counting(schema: Any, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        original(schema, *args, **kwargs)

    monkeypatch.setattr(cls, "check_schema", counting)
    check_action_schema_once()
    yield calls


def test_valid_responses_pass_and_the_schema_is_checked_once(patched: list[int]) -> None:
    action = RemoteAction("action_situation", EndpointConfig("http://127.0.0.1:1/webhook"))
    good = {
        "events": [{"event": "slot", "name": "situations", "value": ["F14128"], "timestamp": None}],
        "responses": [{"text": "Bonjour", "buttons": [], "custom": {"type": "plan"}}],
    }
    for _ in range(5):
        assert action._validate_action_result(good) is True
    assert len(patched) == 1


def test_invalid_responses_are_still_refused(patched: list[int]) -> None:
    action = RemoteAction("action_situation", EndpointConfig("http://127.0.0.1:1/webhook"))
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"event": "slot", "name": 3}], "responses": []})
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": "not a list"})


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The settings read again from the environment as the test sets it (not from a developer's
    `.env`), and forgotten afterwards."""
    monkeypatch.chdir(tmp_path)
    read_settings.cache_clear()
    yield
    read_settings.cache_clear()


@pytest.mark.parametrize(("raw", "expected"), [("2.5", 2.5), ("30", 30.0), (None, 10.0)])
@pytest.mark.usefixtures("fresh_settings")
def test_action_calls_are_bounded_by_action_timeout(
    monkeypatch: pytest.MonkeyPatch, raw: str | None, expected: float
) -> None:
    """Rasa's fixed 300 s action call timeout becomes ACTION_TIMEOUT (10 s when unset)."""
    monkeypatch.setattr(action, "DEFAULT_REQUEST_TIMEOUT", 300)
    if raw is None:
        monkeypatch.delenv("ACTION_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("ACTION_TIMEOUT", raw)
    bound_action_calls()
    assert expected == action.DEFAULT_REQUEST_TIMEOUT


@pytest.mark.parametrize("raw", ["", "zero", "-1", "0"])
@pytest.mark.usefixtures("fresh_settings")
def test_an_invalid_action_timeout_stops_rasa_as_it_stops_the_gateway(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    """Read through the settings: the gateway's validation, not a silent fallback of its own."""
    monkeypatch.setattr(action, "DEFAULT_REQUEST_TIMEOUT", 300)
    monkeypatch.setenv("ACTION_TIMEOUT", raw)
    with pytest.raises(ValueError, match="action_timeout"):
        bound_action_calls()
    assert action.DEFAULT_REQUEST_TIMEOUT == 300
    with pytest.raises(ValueError, match="action_timeout"):
        Settings(_env_file=None)  # type: ignore[call-arg]


@pytest.mark.usefixtures("fresh_settings")
def test_rasa_needs_none_of_the_gateway_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """In production, without SECRET_KEY nor RASA_TOKEN in its environment, Rasa still starts."""
    monkeypatch.setattr(action, "DEFAULT_REQUEST_TIMEOUT", 300)
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("ACTION_TIMEOUT", "4")
    for name in ("SECRET_KEY", "RASA_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "SMS_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    bound_action_calls()
    assert action.DEFAULT_REQUEST_TIMEOUT == 4.0


def test_event_types_are_resolved_once_with_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
    from rasa.shared.utils import common

    from assistant.rasa.server import resolve_event_types_once

    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
    walks: list[int] = []
    original = common.all_subclasses

    def counting(cls: Any) -> Any:
        walks.append(1)
        return original(cls)

    monkeypatch.setattr(common, "all_subclasses", counting)
    resolve_event_types_once()
    assert Event.resolve_by_type("user") is UserUttered
    walked = len(walks)
    assert walked > 0
    for _ in range(3):  # found once, then remembered: no more walks through the subclasses
        assert Event.resolve_by_type("user") is UserUttered
    assert len(walks) == walked
    assert Event.resolve_by_type("slot") is SlotSet and Event.resolve_by_type("action") is ActionExecuted
    assert Event.resolve_by_type("topic") is None  # Rasa's own answers for the rest
    assert Event.resolve_by_type("nothing", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("nothing")


def test_the_launcher_refuses_a_rasa_it_was_not_written_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another Rasa version: main() stops first, naming both versions, before patching anything."""
    import importlib.metadata

    from assistant.rasa import loading, server

    installed = importlib.metadata.version("rasa")
    assert installed in server.RASA_VERSIONS  # the Rasa of requirements.lock is one it was written for
    server.check_rasa_version()
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "3.7.0" if name == "rasa" else installed)
    patched: list[str] = []
    monkeypatch.setattr(loading, "import_skops_before_tensorflow", lambda: patched.append("skops"))
    with pytest.raises(SystemExit, match=r"installée : 3\.7\.0 ; .* écrit pour Rasa 3\.6\.21"):
        server.main(["run", "--enable-api"])
    assert patched == []
    with pytest.raises(SystemExit, match="Version de Rasa installée : absent"):
        server.check_rasa_version("absent")
