"""`assistant serve gateway|rasa|actions`: one process of the stack, started as `assistant run` starts it.

The command and its environment come from `assistant/ops/stack.py`, the code `assistant run`
supervises: the gateway under uvicorn with the same options, Rasa always through our launcher
(`assistant.rasa.server`) with its endpoints rendered from the settings, the action server with its
port and address. `serve` then replaces itself with that process (exec), so that in a container
the server is the first process and receives the stop signal itself. The same command everywhere:
a terminal, a systemd unit, `compose.yaml`, the Kubernetes Deployments (docs/operations.md).

Secrets are checked where they are used: the gateway refuses missing or weak ones outside
development (as `get_settings`), Rasa only RASA_TOKEN (its API token), the action server none.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any, NoReturn, Optional

from assistant.config import WEAK_SECRETS, Settings, SettingsError, read_settings
from assistant.infra.files import private_files
from assistant.ops.stack import action_server_spec, gateway_spec, rasa_spec
from assistant.ops.supervisor import ProcessSpec

ROLES = ("gateway", "rasa", "actions")


class ServeError(RuntimeError):
    """The process cannot start: the message says why, in French."""


def role_settings(role: str, settings: Settings) -> Settings:
    """The settings with the secrets this role needs checked (outside development) or generated."""
    if role == "gateway":
        checked = settings.with_dev_secrets()
        if not settings.rasa_token:
            _warn("RASA_TOKEN absent : jeton aléatoire pour ce seul processus (donnez le même à Rasa).")
        return checked
    if role == "rasa":
        token = settings.rasa_token
        if not settings.is_development and (token.lower() in WEAK_SECRETS or len(token) < 24):
            raise SettingsError("RASA_TOKEN est absent ou trop faible (24 caractères au moins)")
        if not token:
            _warn(
                "RASA_TOKEN absent : jeton aléatoire pour ce seul processus (donnez le même à la passerelle)."
            )
            return settings.copy(update={"rasa_token": secrets.token_urlsafe(32)})
    return settings


def rasa_model(settings: Settings, model: Optional[Path]) -> Path:
    """`--model`, else the model trained for the code's inputs (assistant/rasa/training.py).

    In development it is trained when missing, as by `assistant run`; elsewhere (a container,
    a production machine) a missing model stops the start: training belongs to the build.
    """
    from assistant.rasa.training import ensure_model, model_name

    if model is not None:
        if not model.is_file():
            raise ServeError(f"modèle introuvable : {model}")
        return model
    if settings.is_development:
        return ensure_model(settings)
    name = f"{model_name()}.tar.gz"
    for folder in (settings.models_dir, settings.model_cache_dir):
        if (folder / name).is_file():
            return folder / name
    raise ServeError(
        f"aucun modèle entraîné pour ces données ({name} dans {settings.models_dir}) : "
        "lancez `assistant train` ou donnez --model"
    )


def process_spec(role: str, settings: Settings, model: Optional[Path] = None) -> ProcessSpec:
    """What `assistant run` would start for this role, one process (Rasa: on RASA_PORT)."""
    private_files(settings.var_dir)  # 0600 files; the umask survives the exec (docs/security.md)
    if role == "gateway":
        return gateway_spec(settings)
    if role == "rasa":
        return rasa_spec(settings, rasa_model(settings, model), port=settings.rasa_port)
    if role == "actions":
        return action_server_spec(settings)
    raise ServeError(f"rôle inconnu : {role}")


def exec_process(spec: ProcessSpec) -> NoReturn:
    """Become the process: same PID, signals delivered to the server itself."""
    env = {**os.environ, **spec.env, "PYTHONUNBUFFERED": "1"}
    if spec.cwd:
        os.chdir(spec.cwd)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvpe(spec.command[0], spec.command, env)  # noqa: S606 (our own command, no shell)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    try:
        settings = role_settings(args.role, settings)
        spec = process_spec(args.role, settings, args.model)
    except (ServeError, SettingsError) as exc:
        print(f"Démarrage impossible ({args.role}) : {exc}", file=sys.stderr)
        return 2
    print(f"[assistant] {args.role} : démarrage ({spec.command[2]})", file=sys.stderr, flush=True)
    exec_process(spec)


def _warn(message: str) -> None:
    print(f"[assistant] attention : {message}", file=sys.stderr, flush=True)


def run_health(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ops import health

    return health.run(args.role, settings)


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="démarre un seul processus : la passerelle, Rasa ou le serveur d'actions",
        description="Le même processus que `assistant run`, seul (conteneurs, systemd).",
    )
    serve.add_argument("role", choices=ROLES)
    serve.add_argument("--model", type=Path, help="Rasa : le modèle (par défaut celui des données actuelles)")
    # Each role checks the secrets it uses (role_settings), not every gateway secret.
    serve.set_defaults(handler=run_serve, settings_reader=read_settings)
    health = subparsers.add_parser("health", help="vérifie qu'un processus répond (contrôles des conteneurs)")
    health.add_argument("role", nargs="?", choices=ROLES, help="par défaut : celui du conteneur")
    health.set_defaults(handler=run_health, settings_reader=read_settings)
