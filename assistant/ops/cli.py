"""`assistant` command line: run, serve, train, db, and the knowledge-base and records tools."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Optional

from assistant.config import Settings, SettingsError, get_settings
from assistant.infra.files import private_files
from assistant.ops.agents_cli import register as register_agents
from assistant.ops.db_cli import register as register_db
from assistant.ops.kb_cli import register as register_kb
from assistant.ops.retention_cli import register as register_retention
from assistant.ops.serve import register as register_serve
from assistant.ops.telegram_cli import register as register_telegram


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ops.stack import action_server_spec, gateway_spec, rasa_specs
    from assistant.ops.supervisor import Stack, serve_forever
    from assistant.rasa.training import ensure_model

    model = ensure_model(settings)
    private_files(settings.var_dir)  # 0600 files, inherited by every child (docs/security.md)
    stack = Stack([action_server_spec(settings), *rasa_specs(settings, model), gateway_spec(settings)])
    base = f"http://{settings.host}:{settings.port}"

    def ready() -> None:
        print(
            "\n[assistant] Tout est prêt.\n"
            f"  Passerelle (API)     : {base}/api\n"
            f"  Documentation API    : {base}/docs\n"
            f"  Santé                : {base}/healthz\n"
            f"  Rasa (interne)       : {', '.join(settings.rasa_base_urls)}\n"
            f"  Serveur d'actions    : {settings.action_base_url}\n"
            "  Ctrl-C pour tout arrêter.\n",
            flush=True,
        )

    return serve_forever(stack, ready)


def _train(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.rasa.training import ensure_model

    print(ensure_model(settings, force=args.force))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Assistant des démarches administratives")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="démarre Rasa, le serveur d'actions et la passerelle (une machine)")
    run.set_defaults(handler=_run)
    train = sub.add_parser("train", help="entraîne le modèle si ses données ont changé")
    train.add_argument("--force", action="store_true", help="entraîne même si le modèle existe")
    train.set_defaults(handler=_train)
    register_serve(sub)
    register_db(sub)
    register_kb(sub)
    register_agents(sub)
    register_retention(sub)
    register_telegram(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = build_parser().parse_args(argv)
    # Most commands read the settings with the gateway's secrets checked (get_settings); `serve`,
    # `health` and `db` name a reader that checks only what they use (read_settings, then their own).
    reader = getattr(args, "settings_reader", get_settings)
    try:
        settings = reader()
    except (SettingsError, ValueError) as exc:
        print(f"Configuration invalide : {exc}", file=sys.stderr)
        return 2
    handler = args.handler
    result: int = handler(args, settings)
    return result


if __name__ == "__main__":
    sys.exit(main())
