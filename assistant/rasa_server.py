"""`python -m assistant.rasa_server run ...`: Rasa's own command line, with one fix for speed.

Rasa 3.6 validates every action server response with `jsonschema.validate(result, schema)`, which
first checks the (constant) schema itself against the JSON Schema meta-schema: a quarter of the
Rasa process's time per message in our profiles. Here the schema is checked once and every
response is still validated against it, with the same errors. Everything else is `rasa` itself.

This module is only ever imported by the Rasa process, never by the gateway.
"""

from __future__ import annotations

import sys
from typing import Any


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


def main(argv: list[str] | None = None) -> None:
    check_action_schema_once()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
