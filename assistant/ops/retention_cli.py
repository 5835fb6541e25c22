"""`assistant purge` and `assistant erase --conversation ID`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from assistant.config import Settings
from assistant.privacy.retention import erase_conversation, purge
from assistant.storage import Database, SchemaOutdated, StorageUnavailable


async def _with_database(settings: Settings, work: Any) -> Any:
    database = Database(settings.sqlalchemy_url)
    await database.start()
    try:
        return await work(database)
    finally:
        await database.stop()


def run_purge(args: argparse.Namespace, settings: Settings) -> int:
    if args.days is not None:
        settings = settings.copy(update={"retention_days": args.days})
    try:
        report = asyncio.run(_with_database(settings, lambda db: purge(settings, db)))
    except StorageUnavailable as exc:
        print(f"Base de données injoignable : {exc}", file=sys.stderr)
        return 1
    except SchemaOutdated as exc:
        print(f"Base de données : {exc}", file=sys.stderr)
        return 1
    print(
        f"Conservation : {settings.retention_days} jours. Supprimé : {report.conversations} conversation(s), "
        f"{report.rasa_trackers} historique(s) Rasa, {report.sms_numbers} numéro(s) SMS, "
        f"{report.channel_events} identifiant(s) de webhook ; {report.feedback_contacts} coordonnée(s) "
        "effacée(s)."
    )
    return 0


def run_erase(args: argparse.Namespace, settings: Settings) -> int:
    try:
        found = asyncio.run(
            _with_database(settings, lambda db: erase_conversation(settings, db, args.conversation))
        )
    except StorageUnavailable as exc:
        print(f"Base de données injoignable : {exc}", file=sys.stderr)
        return 1
    except SchemaOutdated as exc:
        print(f"Base de données : {exc}", file=sys.stderr)
        return 1
    if not found:
        print("Conversation introuvable (l'historique Rasa éventuel a été effacé).", file=sys.stderr)
        return 1
    print("Conversation effacée.")
    return 0


def register(subparsers: Any) -> None:
    purge_parser = subparsers.add_parser("purge", help="supprime ce qui dépasse la durée de conservation")
    purge_parser.add_argument("--days", type=int, help="durée de conservation (par défaut : RETENTION_DAYS)")
    purge_parser.set_defaults(handler=run_purge)
    erase = subparsers.add_parser("erase", help="efface toutes les données d'une conversation")
    erase.add_argument("--conversation", required=True, help="identifiant de la conversation")
    erase.set_defaults(handler=run_erase)
