"""Fixtures of the channel tests: local provider APIs and a gateway with Telegram and SMS configured."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.gateway.app import create_app
from assistant.gateway.state import AppState
from tests.channels.fakes import FakeBotApi, FakeSmsApi

WEBHOOK_SECRET = "telegram-webhook-secret-" + "x" * 16
PUBLIC_BASE_URL = "https://gateway.test"
SMS_FROM = "+33700000000"


@pytest.fixture(scope="session")
def bot_api_server() -> Iterator[FakeBotApi]:
    server = FakeBotApi()
    yield server
    server.close()


@pytest.fixture(scope="session")
def sms_api_server() -> Iterator[FakeSmsApi]:
    server = FakeSmsApi()
    yield server
    server.close()


@pytest.fixture
def bot_api(bot_api_server: FakeBotApi) -> FakeBotApi:
    bot_api_server.reset()
    bot_api_server.updates.clear()
    return bot_api_server


@pytest.fixture
def sms_api(sms_api_server: FakeSmsApi) -> FakeSmsApi:
    sms_api_server.reset()
    return sms_api_server


def channel_settings(
    base: Settings, tmp_path: Path, bot: FakeBotApi, sms: FakeSmsApi, **extra: Any
) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'channels.db'}",
        "public_base_url": PUBLIC_BASE_URL,
        "telegram_bot_token": bot.TOKEN,
        "telegram_webhook_secret": WEBHOOK_SECRET,
        "telegram_api_base_url": bot.url,
        "sms_account_sid": sms.SID,
        "sms_auth_token": sms.TOKEN,
        "sms_from_number": SMS_FROM,
        "sms_api_base_url": sms.url,
        "rate_limit_per_minute": 100,
    }
    values.update(extra)
    return base.copy(update=values)


@pytest.fixture
def settings(rasa_stack: Settings, tmp_path: Path, bot_api: FakeBotApi, sms_api: FakeSmsApi) -> Settings:
    return channel_settings(rasa_stack, tmp_path, bot_api, sms_api)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The gateway with both channels configured, against the real Rasa stack."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def app_state(client: TestClient) -> AppState:
    state: AppState = client.app.state.services  # type: ignore[attr-defined]
    return state


def settle(client: TestClient) -> None:
    """Wait until the webhooks' background work is done."""
    for adapter in app_state(client).channel_runtime.registry.adapters.values():
        tasks = getattr(adapter, "tasks", None)
        if tasks is not None:
            assert client.portal is not None
            client.portal.call(tasks.wait_idle)


def random_id() -> int:
    return secrets.randbelow(10**9) + 10**6
