"""`assistant db upgrade|check|revision`: the schema of the gateway's records (Alembic migrations).

- `upgrade`: brings DATABASE_URL (or the SQLite file under VAR_DIR) to the head revision; run by
  `make run`, the Kubernetes Job and the compose `migrate` service before the gateways start.
- `check [--wait S]`: exit 0 when the schema is at head (or ahead: a newer release migrated it),
  1 when it is behind or unreachable; `--wait` retries, for a container that waits for the Job.
- `revision -m MESSAGE`: a new file in assistant/storage/migrations/versions/ with what tables.py
  adds to the migrations, found by autogenerate against a scratch SQLite database at head.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from assistant.config import Settings, read_settings
from assistant.storage import Database, StorageUnavailable, migrate
from assistant.storage.db import upgrade_database
from assistant.storage.migrate import SchemaState

CHECK_INTERVAL = 2.0


def shown_url(settings: Settings) -> str:
    """The database's address without its password."""
    rendered: str = sa.engine.make_url(settings.sqlalchemy_url).render_as_string(hide_password=True)
    return rendered


def run_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    try:
        state = asyncio.run(upgrade_database(settings.sqlalchemy_url, args.revision))
    except StorageUnavailable as exc:
        print(f"Base de données injoignable : {exc}", file=sys.stderr)
        return 1
    print(f"Base de données à jour ({shown_url(settings)}) : {state.describe()}.")
    return 0


async def _state(url: str) -> SchemaState:
    database = Database(url, migrate=False)
    database.open()
    try:
        return await database.schema_state()
    finally:
        await database.stop()


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    deadline = time.monotonic() + args.wait
    while True:
        try:
            state = asyncio.run(_state(settings.sqlalchemy_url))
        except StorageUnavailable as exc:
            problem = f"Base de données injoignable : {exc}"
        else:
            if state.unknown:
                print(
                    f"Schéma en avance sur ce code (une version plus récente l'a migré) : {state.describe()}."
                )
                return 0
            if not state.behind:
                print(f"Schéma à jour : {state.describe()}.")
                return 0
            problem = f"Schéma en retard : {state.describe()} ; lancez `assistant db upgrade`."
        if time.monotonic() >= deadline:
            print(problem, file=sys.stderr)
            return 1
        time.sleep(CHECK_INTERVAL)


async def _write_revision(scratch: Path, message: str, autogenerate: bool) -> Path:
    database = Database(f"sqlite+aiosqlite:///{scratch / 'scratch.db'}", migrate=True)
    await database.start()
    try:
        return await database.run_sync(lambda conn: migrate.write_revision(conn, message, autogenerate))
    finally:
        await database.stop()


def run_revision(args: argparse.Namespace, settings: Settings) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        path = asyncio.run(_write_revision(Path(scratch), args.message, not args.empty))
    print(
        f"Révision écrite : {path}\n"
        "Relisez-la (valeurs par défaut des booléens : sa.true()/sa.false() ; données à reprendre), "
        "puis `make test` : le test de dérive vérifie qu'elle rejoint tables.py."
    )
    return 0


def register(subparsers: Any) -> None:
    db = subparsers.add_parser("db", help="schéma de la base (migrations)")
    actions = db.add_subparsers(dest="db_command", required=True)
    upgrade = actions.add_parser("upgrade", help="applique les migrations jusqu'à la dernière révision")
    upgrade.add_argument("--revision", default="head", help="révision visée (par défaut : head)")
    upgrade.set_defaults(handler=run_upgrade)
    check = actions.add_parser("check", help="vérifie que le schéma est à jour (code 1 sinon)")
    check.add_argument("--wait", type=float, default=0.0, help="secondes d'attente d'une migration en cours")
    check.set_defaults(handler=run_check)
    revision = actions.add_parser("revision", help="écrit une nouvelle migration depuis tables.py")
    revision.add_argument("-m", "--message", required=True, help="ce que fait la migration")
    revision.add_argument("--empty", action="store_true", help="fichier vide, sans autogenerate")
    revision.set_defaults(handler=run_revision)
    # DATABASE_URL and VAR_DIR only: no gateway secret is needed (the Kubernetes Job has none).
    db.set_defaults(settings_reader=read_settings)
