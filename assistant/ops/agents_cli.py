"""`assistant agents add USERNAME [--role agent|admin]`: create a console account;
`assistant agents disable USERNAME` / `delete USERNAME`: end one (every session and token revoked)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import Any

from assistant.auth.repository import ROLES, AgentExists, AgentRepository
from assistant.config import Settings
from assistant.storage import Database, SchemaOutdated, StorageUnavailable

MIN_PASSWORD = 12


def read_password() -> str:
    """Asked twice on a terminal; otherwise the first line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Confirmez le mot de passe : ") != first:
            raise ValueError("Les deux mots de passe sont différents.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


async def _add(settings: Settings, username: str, password: str, role: str, name: str) -> None:
    database = Database(settings.sqlalchemy_url)
    await database.start()
    try:
        await AgentRepository(database).add(username, password, role, name)
    finally:
        await database.stop()


def add_agent(args: argparse.Namespace, settings: Settings) -> int:
    username = args.username.strip()
    if (
        not username
        or len(username) > 64
        or not username.replace(".", "").replace("-", "").replace("_", "").isalnum()
    ):
        print("Identifiant invalide (lettres, chiffres, . - _ ; 64 caractères au plus).", file=sys.stderr)
        return 2
    try:
        password = read_password()
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if len(password) < MIN_PASSWORD:
        print(f"Mot de passe trop court ({MIN_PASSWORD} caractères au moins).", file=sys.stderr)
        return 2
    try:
        asyncio.run(_add(settings, username, password, args.role, args.name or ""))
    except AgentExists:
        print(f"Le compte « {username} » existe déjà.", file=sys.stderr)
        return 1
    except StorageUnavailable as exc:
        print(f"Base de données injoignable : {exc}", file=sys.stderr)
        return 1
    except SchemaOutdated as exc:
        print(f"Base de données : {exc}", file=sys.stderr)
        return 1
    print(f"Compte « {username} » créé (rôle : {args.role}).")
    return 0


async def _end(settings: Settings, username: str, delete: bool) -> bool:
    database = Database(settings.sqlalchemy_url)
    await database.start()
    try:
        repository = AgentRepository(database)
        agent = await repository.find(username)
        if agent is None:
            return False
        if delete:
            return await repository.delete(agent.id)
        return await repository.set_active(agent.id, False)
    finally:
        await database.stop()


def end_agent(args: argparse.Namespace, settings: Settings) -> int:
    """disable: no more logins, sessions and tokens revoked; delete: the account is removed too."""
    delete = args.agents_command == "delete"
    try:
        found = asyncio.run(_end(settings, args.username.strip(), delete))
    except (StorageUnavailable, SchemaOutdated) as exc:
        print(f"Base de données : {exc}", file=sys.stderr)
        return 1
    if not found:
        print(f"Aucun compte « {args.username} ».", file=sys.stderr)
        return 1
    done = "supprimé" if delete else "désactivé"
    print(f"Compte « {args.username} » {done} ; ses sessions et jetons sont révoqués.")
    return 0


def register(subparsers: Any) -> None:
    agents = subparsers.add_parser("agents", help="comptes des conseillers de la console")
    actions = agents.add_subparsers(dest="agents_command", required=True)
    add = actions.add_parser("add", help="crée un compte (mot de passe demandé, ou lu sur l'entrée standard)")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="agent")
    add.add_argument("--name", help="nom affiché aux personnes (par défaut : l'identifiant)")
    add.set_defaults(handler=add_agent)
    for name, help_text in (
        ("disable", "désactive un compte : plus de connexion, sessions et jetons révoqués"),
        ("delete", "supprime un compte (ses prises en charge restent, sans signataire)"),
    ):
        command = actions.add_parser(name, help=help_text)
        command.add_argument("username")
        command.set_defaults(handler=end_agent)
