"""`assistant health [gateway|rasa|actions]`, and `python -m assistant.ops.health`: is this process up?

The container image's HEALTHCHECK and the Kubernetes readiness probe of Rasa (which needs RASA_TOKEN,
so an exec probe rather than an HTTP one). It asks the URL `assistant run` waits for
(`assistant.ops.stack.health_url`): the gateway's /healthz, Rasa's /status (200 once the model is
loaded), the action server's /health. Without a role, the role is read from the command line of
the container's first process (`assistant serve ROLE` replaces itself with that process). The
module imports little, so that a probe every few seconds costs a fraction of a second.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

import httpx

from assistant.config import Settings, read_settings
from assistant.ops.stack import health_headers, health_url

ROLES = ("gateway", "rasa", "actions")
# What each role's process runs, as `assistant serve` (assistant/ops/stack.py) starts it.
ROLE_MARKERS = (("assistant.rasa.server", "rasa"), ("rasa_sdk", "actions"), ("uvicorn", "gateway"))


def detect_role(cmdline: Path = Path("/proc/1/cmdline")) -> Optional[str]:
    try:
        argv = cmdline.read_bytes().split(b"\0")
    except OSError:
        return None
    words = [arg.decode("utf-8", "replace") for arg in argv]
    if "serve" in words:  # not replaced yet
        index = words.index("serve")
        if index + 1 < len(words) and words[index + 1] in ROLES:
            return words[index + 1]
    for marker, role in ROLE_MARKERS:
        if any(marker in word for word in words):
            return role
    return None


def check(role: str, settings: Settings, timeout: float = 5.0) -> tuple[bool, str]:
    """(healthy, what to print): never the URL, which may carry Rasa's token."""
    url = health_url(role, settings)
    try:
        response = httpx.get(url, headers=health_headers(role, settings), timeout=timeout)
    except httpx.HTTPError as exc:
        return False, f"{role} : injoignable ({type(exc).__name__})"
    if response.status_code == 200:
        return True, f"{role} : en bonne santé"
    return False, f"{role} : réponse {response.status_code}"


def run(role: Optional[str], settings: Settings) -> int:
    role = role or detect_role()
    if role is None:
        print("Rôle introuvable : précisez gateway, rasa ou actions.", file=sys.stderr)
        return 2
    healthy, message = check(role, settings)
    print(message, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0] not in ROLES):
        print(f"usage : python -m assistant.ops.health [{'|'.join(ROLES)}]", file=sys.stderr)
        return 2
    try:
        settings = read_settings()
    except ValueError as exc:
        print(f"Configuration invalide : {exc}", file=sys.stderr)
        return 2
    return run(args[0] if args else None, settings)


if __name__ == "__main__":
    sys.exit(main())
