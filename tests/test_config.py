"""Settings read from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings, SettingsError


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_defaults_are_embedded_and_local(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PORT", "DATABASE_URL", "REDIS_URL", "RASA_URL", "APP_ENV", "HOST"):
        monkeypatch.delenv(name, raising=False)
    current = settings()
    assert (current.host, current.port) == ("127.0.0.1", 8000)
    assert current.sqlalchemy_url.startswith("sqlite+aiosqlite:///")
    assert current.redis_parts() is None
    assert current.rasa_base_url == "http://127.0.0.1:5005"


def test_port_and_database_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("DATABASE_URL", "postgresql://user:pw@db:5432/app")
    current = settings()
    assert current.port == 9123
    assert current.sqlalchemy_url == "postgresql+asyncpg://user:pw@db:5432/app"


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(SettingsError, match="mysql"):
        _ = settings(database_url="mysql://x/y").sqlalchemy_url


def test_redis_url_is_split() -> None:
    parts = settings(redis_url="rediss://:secret@cache.internal:6380/3").redis_parts()
    assert parts == {"host": "cache.internal", "port": 6380, "db": 3, "password": "secret", "use_ssl": True}


@pytest.mark.parametrize("url", ["http://cache:6379", "redis://cache:6379/abc"])
def test_bad_redis_url_is_refused(url: str) -> None:
    with pytest.raises(SettingsError):
        settings(redis_url=url).redis_parts()


def test_production_refuses_missing_or_weak_secrets() -> None:
    with pytest.raises(SettingsError, match="RASA_TOKEN"):
        settings(app_env="production", secret_key="x" * 40).check_secrets()
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        settings(app_env="production", rasa_token="t" * 40, secret_key="changeme").check_secrets()
    settings(app_env="production", rasa_token="t" * 40, secret_key="s" * 40).check_secrets()


def test_production_refuses_a_weak_sms_token() -> None:
    strong = {"app_env": "production", "rasa_token": "t" * 40, "secret_key": "s" * 40}
    sms = {
        "sms_account_sid": "AC1",
        "sms_from_number": "+33700000000",
        "sms_api_base_url": "https://sms.test",
    }
    with pytest.raises(SettingsError, match="SMS_AUTH_TOKEN"):
        settings(**strong, **sms, sms_auth_token="secret").check_secrets()
    settings(**strong, **sms, sms_auth_token="a" * 32).check_secrets()
    settings(**{**strong, "app_env": "development"}, **sms, sms_auth_token="secret").check_secrets()


def test_development_generates_random_secrets() -> None:
    first = settings(app_env="development").with_dev_secrets()
    second = settings(app_env="development").with_dev_secrets()
    assert len(first.rasa_token) >= 32 and first.rasa_token != second.rasa_token
    kept = settings(app_env="development", rasa_token="given").with_dev_secrets()
    assert kept.rasa_token == "given"


def test_invalid_port_is_refused() -> None:
    with pytest.raises(ValueError):
        settings(port=70000)


def test_paths_can_be_moved(tmp_path: Path) -> None:
    current = settings(var_dir=tmp_path)
    assert current.sqlalchemy_url == f"sqlite+aiosqlite:///{tmp_path / 'assistant.db'}"


def refused_then_accepted_with_redis(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The environment as set is refused without REDIS_URL; the settings once it is set."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    with pytest.raises(ValueError, match="demandent REDIS_URL"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_several_rasa_workers_need_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_WORKERS", "2")
    two = refused_then_accepted_with_redis(monkeypatch)
    assert two.rasa_workers == 2
    assert two.rasa_base_urls == ["http://127.0.0.1:5005", "http://127.0.0.1:5006"]
    monkeypatch.delenv("RASA_WORKERS")
    assert settings().rasa_workers == 1


def test_rasa_url_may_list_several_instances(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_URL", " http://rasa-a:5005/ , http://rasa-b:5005")
    current = refused_then_accepted_with_redis(monkeypatch)
    assert current.rasa_base_urls == ["http://rasa-a:5005", "http://rasa-b:5005"]
    assert current.rasa_base_url == "http://rasa-a:5005"
    monkeypatch.setenv("RASA_URL", "rasa-a:5005")
    with pytest.raises(ValueError, match="RASA_URL"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_rasa_ports_stay_in_range(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    with pytest.raises(ValueError, match="65535"):
        settings(rasa_port=65535, rasa_workers=2)
