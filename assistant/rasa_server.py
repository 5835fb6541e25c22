"""`python -m assistant.rasa_server run ...`: Rasa's own command line, with a fix for speed and a
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

Rasa 3.6 also loads the spaCy model twice into each process (once per graph node that needs
it): with fr_core_news_md and its word vectors, about 420 MB more per Rasa worker. Here both
nodes get the same loaded `Language`, which they only read.

Rasa 3.6 also finds an event's class by walking every subclass of `Event` for each event it
reads back from the tracker store (`Event.resolve_by_type`): 4.6 % of a Rasa process's samples
under load in our profiles, for a mapping that never changes once Rasa is imported. Here each type
name is resolved once.

The spaCy pipeline keeps what our components read (tokens, lemmas, part-of-speech tags, vectors):
the entity recogniser ran on every message for nothing (no SpacyEntityExtractor in config.yml),
and the parser, which Rasa already disables, is dropped too.

Loading the model leaves about 50 MB of freed memory in glibc's heaps, which it keeps: it is
given back to the system once the model is loaded (`malloc_trim`).

This module is only ever imported by the Rasa process, never by the gateway.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys
from typing import Any

DEFAULT_ACTION_TIMEOUT = 10.0


def action_timeout() -> float:
    """ACTION_TIMEOUT from the environment (set by assistant.stack), in seconds."""
    try:
        value = float(os.environ.get("ACTION_TIMEOUT", ""))
    except ValueError:
        return DEFAULT_ACTION_TIMEOUT
    return value if value > 0 else DEFAULT_ACTION_TIMEOUT


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


UNREAD_SPACY_COMPONENTS = ("parser", "ner")  # our pipeline reads no dependency, no entity


def load_spacy_models_once() -> None:
    """Make SpacyNLP give every caller of one model name the same loaded model, without the
    components whose output nothing reads."""
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    load = SpacyNLP.load_model
    loaded: dict[str, Any] = {}

    def load_once(spacy_model_name: str) -> Any:
        if spacy_model_name not in loaded:
            model = load(spacy_model_name)
            for name in UNREAD_SPACY_COMPONENTS:
                if name in model.model.component_names:
                    model.model.remove_pipe(name)
            loaded[spacy_model_name] = model
        return loaded[spacy_model_name]

    SpacyNLP.load_model = staticmethod(load_once)


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


def release_memory_after_loading() -> None:
    """Give the memory freed while the model loaded back to the system (glibc only)."""
    import rasa.core.run as run

    load = run.load_agent_on_start

    async def load_then_release(*args: Any, **kwargs: Any) -> Any:
        agent = await load(*args, **kwargs)
        release_free_memory()
        return agent

    run.load_agent_on_start = load_then_release


def release_free_memory() -> bool:
    """`malloc_trim(0)`: False where the C library has none (not glibc)."""
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim(0)
    return True


def main(argv: list[str] | None = None) -> None:
    check_action_schema_once()
    load_spacy_models_once()
    resolve_event_types_once()
    release_memory_after_loading()
    bound_action_calls()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
