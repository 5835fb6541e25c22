"""`assistant agents disable|delete USERNAME` (issue #27): an account ends with its sessions and tokens."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from assistant.auth.repository import AgentRepository
from assistant.config import get_settings
from assistant.ops.cli import main
from assistant.storage import Database
from assistant.storage.db import upgrade_database

PASSWORD = "mot-de-passe-solide"


async def _prepare(url: str) -> str:
    await upgrade_database(url)
    database = Database(url)
    await database.start()
    try:
        agents = AgentRepository(database)
        for name in ("claire", "bruno"):
            agent = await agents.add(name, PASSWORD, "agent")
            token, _ = await agents.issue_token(agent, "api", timedelta(hours=1))
        return token  # bruno's
    finally:
        await database.stop()


async def _state(url: str, token: str) -> tuple[list[tuple[str, bool]], bool]:
    database = Database(url)
    await database.start()
    try:
        agents = AgentRepository(database)
        accounts = [(a.username, a.active) for a in await agents.all(include_inactive=True)]
        return accounts, await agents.resolve(token, "api") is not None
    finally:
        await database.stop()


def test_disable_then_delete(
    environment: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'records.db'}")
    environment.setenv("VAR_DIR", str(tmp_path))
    get_settings.cache_clear()  # the command line reads the settings with the environment above
    url = f"sqlite+aiosqlite:///{tmp_path / 'records.db'}"
    token = asyncio.run(_prepare(url))
    assert asyncio.run(_state(url, token)) == ([("bruno", True), ("claire", True)], True)

    assert main(["agents", "disable", "bruno"]) == 0
    assert "désactivé" in capsys.readouterr().out
    assert asyncio.run(_state(url, token)) == ([("bruno", False), ("claire", True)], False)

    assert main(["agents", "delete", "bruno"]) == 0
    assert "supprimé" in capsys.readouterr().out
    assert asyncio.run(_state(url, token)) == ([("claire", True)], False)

    assert main(["agents", "delete", "bruno"]) == 1
    assert "Aucun compte « bruno »" in capsys.readouterr().err
    get_settings.cache_clear()
