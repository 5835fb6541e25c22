"""`python -m assistant.rasa.server run ...`: Rasa's own command line, with fixes for speed and a
bounded action call.

Rasa 3.6 validates every action server response with `jsonschema.validate(result, schema)`, which
first checks the (constant) schema itself against the JSON Schema meta-schema: a quarter of the
Rasa process's time per message in our profiles. Here the schema is checked once and every
response is still validated against it, with the same errors. Everything else is `rasa` itself.

Rasa 3.6.21 also calls the action server with a fixed 300 s timeout (`DEFAULT_REQUEST_TIMEOUT`,
read at each call in `rasa/core/actions/action.py`; the `action_endpoint` section of endpoints.yml
has no timeout). It is set to ACTION_TIMEOUT here, so that a hanging action server costs a turn
ACTION_TIMEOUT seconds long (Rasa logs "Encountered an exception while running action" and answers
without the action's events, which the gateway detects and retries), never five minutes.

Rasa 3.6 also finds an event's class by walking every subclass of `Event` for each event it
reads back from the tracker store (`Event.resolve_by_type`): 4.6 % of a Rasa process's samples
under load in our profiles, for a mapping that never changes once Rasa is imported. Here each type
name is resolved once.

Loading the model faster and into less memory: `assistant.rasa.loading`. The token from the
environment, accepted in a header, required on the REST channel too: `assistant.rasa.auth`.

This module is only ever imported by the Rasa process, never by the gateway.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from assistant.rasa import auth as rasa_auth
from assistant.rasa import loading as rasa_loading
from assistant.rasa.auth import with_token

# The Rasa versions whose internals this launcher and assistant.rasa.loading replace, and were tested on.
RASA_VERSIONS = ("3.6.21",)


def check_rasa_version(installed: str | None = None) -> None:
    """Stop before patching anything when the installed Rasa is not one this launcher was written for.

    Every patch here replaces a function or a constant inside Rasa; on another version it could
    silently change nothing, or break Rasa in the middle of a conversation.
    """
    if installed is None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("rasa")
        except PackageNotFoundError:
            installed = "absent"
    if installed not in RASA_VERSIONS:
        raise SystemExit(
            f"Version de Rasa installée : {installed} ; assistant.rasa.server est écrit pour Rasa "
            f"{', '.join(RASA_VERSIONS)} : il remplace des fonctions internes de cette version (délai des "
            "actions, validation de leurs réponses, types d'événements, chargement du modèle). Installez la "
            "version de requirements.lock (make setup), ou adaptez et testez le lanceur, puis ajoutez la "
            "version à RASA_VERSIONS."
        )


def action_timeout() -> float:
    """ACTION_TIMEOUT in seconds, through the settings (set by assistant.ops.stack; 10 by default).

    An invalid value (not a number, not positive) stops Rasa at start, as it stops the gateway.
    `read_settings`, not `get_settings`: Rasa holds none of the gateway's secrets (see its docstring).
    Imported here, after skops (`main`), like everything this launcher patches.
    """
    from assistant.config import read_settings

    return read_settings().action_timeout


def bound_action_calls() -> None:
    """Replace Rasa's fixed 300 s action call timeout by ACTION_TIMEOUT."""
    import rasa.core.actions.action as action

    setattr(action, "DEFAULT_REQUEST_TIMEOUT", action_timeout())  # noqa: B010 (a module global)


def check_action_schema_once() -> None:
    """Make RemoteAction reuse one validator, built from a schema checked once."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    cache: dict[str, Any] = {}

    def validate(self: RemoteAction, result: dict[str, Any]) -> bool:
        validator = cache.get("validator")
        if validator is None:
            schema = self.action_response_format_spec()
            cls = validator_for(schema)
            cls.check_schema(schema)
            validator = cache["validator"] = cls(schema)
        try:
            validator.validate(result)
        except ValidationError as exc:
            exc.message += (
                ". Failed to validate Action server response from API, make sure your response "
                "from the Action endpoint is valid."
            )
            raise
        return True

    RemoteAction._validate_action_result = validate


def resolve_event_types_once() -> None:
    """Make `Event.resolve_by_type` remember the class of each event type name it has found."""
    from rasa.shared.core.events import Event

    resolve = Event.resolve_by_type
    found: dict[str, type[Event]] = {}

    def resolve_once(type_name: str, default: Any = None) -> Any:
        cls = found.get(type_name)
        if cls is None:
            cls = resolve(type_name, default)
            if cls is not None and getattr(cls, "type_name", None) == type_name:
                found[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_once)  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> None:
    from assistant.config import read_settings

    token = read_settings().rasa_token  # RASA_TOKEN, from the environment (docs/security.md)
    check_rasa_version()
    rasa_loading.import_skops_before_tensorflow()
    check_action_schema_once()
    resolve_event_types_once()
    bound_action_calls()
    rasa_loading.load_faster_into_less_memory()
    os.umask(0o077)  # the SQLite tracker store and every file Rasa writes: private (0600)
    arguments = with_token(list(sys.argv[1:] if argv is None else argv), token)
    if token:
        rasa_auth.accept_header_tokens()
        rasa_auth.protect_webhooks(token)
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *arguments]
    rasa_main()


if __name__ == "__main__":
    main()
