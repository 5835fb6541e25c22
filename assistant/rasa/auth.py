"""Rasa's token, from the environment and in a header: never on a command line nor in a URL.

Rasa 3.6 reads its token from `--auth-token` (visible to every local user in the process list)
and accepts it only as `?token=` (written in access logs and health-check logs). The launcher
(`assistant.rasa.server`) passes RASA_TOKEN from its environment to Rasa's command line inside
the process, and this module makes Rasa accept `Authorization: Bearer <token>` on its protected
API, and require the token on its REST channel too (`/webhooks/...`): without it anything that
reaches Rasa could write into any conversation's history. The query parameter stays accepted
(Rasa's own contract), and JWT, which we do not use, is left to Rasa.

This module is only ever imported by the Rasa process, never by the gateway.
"""

from __future__ import annotations

import hmac
from functools import wraps
from inspect import isawaitable
from typing import Any, Callable, Optional

WEBHOOKS = "/webhooks/"


def presented(request: Any) -> str:
    """The token a request carries: `Authorization: Bearer ...`, else `?token=`."""
    scheme, _, credentials = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return str(request.args.get("token") or "")


def authorised(request: Any, token: str) -> bool:
    return bool(token) and hmac.compare_digest(presented(request).encode(), token.encode())


def accept_header_tokens() -> None:
    """Wrap `rasa.server.requires_auth` (applied to each API route when the app is created) so that
    a bearer header with the token passes as the query parameter does."""
    import rasa.server

    original = rasa.server.requires_auth

    def requires_auth(app: Any, token: Optional[str] = None) -> Callable[[Any], Any]:
        protect = original(app, token)

        def decorator(handler: Any) -> Any:
            protected = protect(handler)

            @wraps(handler)
            async def decorated(request: Any, *args: Any, **kwargs: Any) -> Any:
                if token and authorised(request, token):
                    result = handler(request, *args, **kwargs)
                    return await result if isawaitable(result) else result
                return await protected(request, *args, **kwargs)

            return decorated

        return decorator

    rasa.server.requires_auth = requires_auth


def protect_webhooks(token: str) -> None:
    """Answer 401 to any request on an input channel (`/webhooks/...`) without the token."""
    import rasa.core.run
    from sanic import response

    original = rasa.core.run.configure_app

    def configure_app(*args: Any, **kwargs: Any) -> Any:
        app = original(*args, **kwargs)

        async def require_token(request: Any) -> Any:
            if request.path.startswith(WEBHOOKS) and not authorised(request, token):
                return response.json({"error": "NotAuthenticated"}, status=401)
            return None

        app.register_middleware(require_token, "request")
        return app

    rasa.core.run.configure_app = configure_app


def with_token(argv: list[str], token: str) -> list[str]:
    """Rasa's arguments with `--auth-token` from the environment, unless given (in process only:
    the process list shows the command as it was started)."""
    given = any(arg == "--auth-token" or arg.startswith("--auth-token=") for arg in argv)
    return argv if given or not token else [*argv, f"--auth-token={token}"]
