"""What the browser tests share: the gateway served by uvicorn in a thread, and headless Chromium."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright

from assistant.auth.repository import AgentRepository
from assistant.config import Settings
from assistant.gateway.app import create_app
from assistant.ops.stack import action_server_spec, rasa_spec
from assistant.storage import Database
from tests.conftest import make_settings
from tests.e2e.faults_support import Part
from tests.helpers import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PASSWORD = "mot-de-passe-tres-solide"
FAULT_ACTION_TIMEOUT = 3.0  # seconds Rasa waits for an action in the fault tests


@dataclass
class Gateway:
    url: str
    settings: Settings


def server_settings(rasa_stack: Settings, database: Path) -> Settings:
    """The stack's settings on a free local port, with their own SQLite file, always open."""
    port = free_port()
    return rasa_stack.copy(
        update={
            "database_url": f"sqlite:///{database}",
            "opening_hours": "always",
            "port": port,
            "public_url": f"http://127.0.0.1:{port}",
        }
    )


async def add_agents(settings: Settings, *agents: tuple[str, str]) -> None:
    """Conseillers (username, display name), all with PASSWORD."""
    database = Database(settings.sqlalchemy_url)
    await database.start()
    try:
        for username, name in agents:
            await AgentRepository(database).add(username, PASSWORD, "agent", name)
    finally:
        await database.stop()


@contextmanager
def serve(settings: Settings, name: str) -> Iterator[str]:
    """The gateway served by uvicorn in a thread on `settings.port`; yields its URL."""
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=settings.port,
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the gateway did not start"
        assert time.monotonic() < deadline, "the gateway did not start in 30 s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{settings.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        assert not thread.is_alive(), "the gateway did not stop"


def watch(page: Page) -> tuple[list[str], list[str], list[str]]:
    """The page's dialogs (dismissed), errors and CSP violations, as they come."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    csp_violations: list[str] = []
    page.on(
        "console", lambda msg: csp_violations.append(msg.text) if "Content Security" in msg.text else None
    )
    return dialogs, page_errors, csp_violations


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class FaultStack:
    """Rasa and the action server as separate parts, so that a test can stop and restart each."""

    settings: Settings
    model: Path
    actions: Part
    rasa: Part
    log: Path


@pytest.fixture(scope="module")
def fault_stack(tmp_path_factory: pytest.TempPathFactory, trained_model: Path) -> Iterator[FaultStack]:
    """One Rasa (SQLite tracker store) and one action server for a module of fault tests."""
    tmp = tmp_path_factory.mktemp("faults")
    settings = make_settings(
        tmp,
        rasa_port=free_port(),
        action_port=free_port(),
        action_timeout=FAULT_ACTION_TIMEOUT,
        retry_interval=0.5,
        retry_max_interval=2.0,
    )
    log = tmp / "stack.log"
    actions = Part(action_server_spec(settings), log)
    rasa = Part(rasa_spec(settings, trained_model), log)
    actions.start()
    rasa.start()
    try:
        actions.wait_healthy()
        rasa.wait_healthy()
    except BaseException:
        print(log.read_text(encoding="utf-8")[-5000:])
        rasa.stop()
        actions.stop()
        raise
    yield FaultStack(settings, trained_model, actions, rasa, log)
    rasa.stop()
    actions.stop()


@pytest.fixture
def fault_gateway(fault_stack: FaultStack, tmp_path: Path) -> Iterator[TestClient]:
    """The gateway in process against the fault stack, with its own SQLite file."""
    settings = fault_stack.settings.copy(update={"database_url": f"sqlite:///{tmp_path / 'gw.db'}"})
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def private_dir() -> Iterator[Path]:
    """A directory straight under /tmp, that the postgres system user can reach; removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="faults-pg-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)
