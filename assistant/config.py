"""Application settings, read once from the environment (and an optional `.env`)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional
from urllib.parse import urlsplit

from pydantic import BaseSettings, Field, validator

PROJECT_ROOT = Path(__file__).resolve().parent.parent

WEAK_SECRETS = {"", "changeme", "change-me", "secret", "password", "dev", "development", "test"}


class SettingsError(ValueError):
    """Raised when the environment describes an unusable configuration."""


def _split_urls(value: str) -> list[str]:
    """A comma-separated list of base URLs, without trailing slashes."""
    return [url.strip().rstrip("/") for url in value.split(",") if url.strip()]


class Settings(BaseSettings):
    """Every tunable of the assistant. `.env.example` documents each variable."""

    app_env: Literal["development", "test", "production"] = Field("development", env="APP_ENV")
    host: str = Field("127.0.0.1", env="HOST")
    port: int = Field(8000, env="PORT", ge=1, le=65535)
    public_base_url: str = Field("", env="PUBLIC_BASE_URL")

    rasa_port: int = Field(5005, env="RASA_PORT", ge=1, le=65535)
    rasa_url: str = Field("", env="RASA_URL")
    rasa_token: str = Field("", env="RASA_TOKEN")
    rasa_timeout: float = Field(30.0, env="RASA_TIMEOUT", gt=0)
    action_port: int = Field(5055, env="ACTION_PORT", ge=1, le=65535)
    action_server_url: str = Field("", env="ACTION_SERVER_URL")
    action_timeout: float = Field(10.0, env="ACTION_TIMEOUT", gt=0)
    # Fault tolerance: messages left pending are retried in the background.
    retry_interval: float = Field(3.0, env="RETRY_INTERVAL", gt=0)
    retry_max_interval: float = Field(30.0, env="RETRY_MAX_INTERVAL", gt=0)

    database_url: str = Field("", env="DATABASE_URL")
    # Schema migrations at start (gateway, command line): on by default in development and test only;
    # elsewhere `assistant db upgrade` (a Job) migrates and the processes only check the schema.
    db_auto_migrate: Optional[bool] = Field(None, env="DB_AUTO_MIGRATE")
    redis_url: str = Field("", env="REDIS_URL")
    redis_key_prefix: str = Field("assistant", env="REDIS_KEY_PREFIX")
    # Several instances (need REDIS_URL): Rasa processes (on RASA_PORT, RASA_PORT+1...), lease of
    # the per-conversation lock.
    rasa_workers: int = Field(1, env="RASA_WORKERS", ge=1, le=64)
    conversation_lock_seconds: float = Field(30.0, env="CONVERSATION_LOCK_SECONDS", gt=0)

    var_dir: Path = Field(PROJECT_ROOT / "var", env="VAR_DIR")
    models_dir: Path = Field(PROJECT_ROOT / "models", env="MODELS_DIR")
    model_cache_dir: Path = Field(
        Path.home() / ".cache" / "demarches-assistant" / "models", env="MODEL_CACHE_DIR"
    )
    kb_dir: Path = Field(PROJECT_ROOT / "data" / "kb", env="KB_DIR")

    secret_key: str = Field("", env="SECRET_KEY")
    widget_origins: str = Field("", env="WIDGET_ORIGINS")
    retention_days: int = Field(365, env="RETENTION_DAYS", ge=1)
    opening_hours: str = Field("1-5 09:00-17:00", env="OPENING_HOURS")
    timezone: str = Field("Europe/Paris", env="TIMEZONE")
    login_attempts_per_window: int = Field(10, env="LOGIN_ATTEMPTS", ge=1)
    # Security (docs/security.md): logins per client address and in all, every 5 minutes; the
    # threads that verify passwords; link-code tries in all, every 15 minutes; conversations a
    # client address may open per 10 minutes.
    login_attempts_per_client: int = Field(30, env="LOGIN_ATTEMPTS_PER_CLIENT", ge=1)
    login_attempts_global: int = Field(300, env="LOGIN_ATTEMPTS_GLOBAL", ge=1)
    password_workers: int = Field(1, env="PASSWORD_WORKERS", ge=1, le=16)
    login_refusal_delay: float = Field(1.0, env="LOGIN_REFUSAL_DELAY", ge=0, le=10)
    link_attempts_global: int = Field(60, env="LINK_ATTEMPTS_GLOBAL", ge=1)
    conversations_per_client: int = Field(30, env="CONVERSATIONS_PER_CLIENT", ge=1)
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or networks,
    # comma-separated); empty: none, the client is the TCP peer.
    forwarded_allow_ips: str = Field("", env="FORWARDED_ALLOW_IPS")
    # Bearer token of GET /metrics; empty: /metrics answers 404.
    metrics_token: str = Field("", env="METRICS_TOKEN")
    log_level: str = Field("INFO", env="LOG_LEVEL")
    # Consoles' live streams (server-sent events): a keep-alive comment every so many seconds, below
    # the read timeout of any proxy in front of the gateway (nginx: 60 s by default).
    sse_keepalive_seconds: float = Field(15.0, env="SSE_KEEPALIVE_SECONDS", gt=0, le=300)

    telegram_bot_token: str = Field("", env="TELEGRAM_BOT_TOKEN")
    telegram_webhook_secret: str = Field("", env="TELEGRAM_WEBHOOK_SECRET", regex=r"^[A-Za-z0-9_-]{0,256}$")
    telegram_api_base_url: str = Field("", env="TELEGRAM_API_BASE_URL")
    # The bot's username (BotFather), told to people who continue on their phone (widget).
    telegram_bot_username: str = Field("", env="TELEGRAM_BOT_USERNAME", regex=r"^@?[A-Za-z0-9_]{0,64}$")
    sms_account_sid: str = Field("", env="SMS_ACCOUNT_SID")
    sms_auth_token: str = Field("", env="SMS_AUTH_TOKEN")
    sms_from_number: str = Field("", env="SMS_FROM_NUMBER")
    sms_api_base_url: str = Field("", env="SMS_API_BASE_URL")
    rate_limit_per_minute: int = Field(20, env="RATE_LIMIT_PER_MINUTE", ge=1)
    # Deadline reminders (assistant/reminders): days before each deadline, sending hours (local
    # time, TIMEZONE), the hour of a planned reminder, the sender's pass interval and attempts.
    reminder_days_before: str = Field(
        "7,1", env="REMINDER_DAYS_BEFORE", regex=r"^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$"
    )
    reminder_hours: str = Field("09-19", env="REMINDER_HOURS", regex=r"^\d{2}-\d{2}$")
    reminder_send_hour: int = Field(10, env="REMINDER_SEND_HOUR", ge=0, le=23)
    reminder_interval: float = Field(20.0, env="REMINDER_INTERVAL", gt=0, le=60)
    reminder_max_attempts: int = Field(6, env="REMINDER_MAX_ATTEMPTS", ge=1, le=20)

    # Hostile input: the largest request body and widget WebSocket frame accepted, in bytes.
    max_body_bytes: int = Field(64 * 1024, env="MAX_BODY_BYTES", ge=1024)
    max_ws_frame_bytes: int = Field(64 * 1024, env="MAX_WS_FRAME_BYTES", ge=8 * 1024)

    @property
    def reminder_window(self) -> tuple[int, int]:
        start, end = (int(part) for part in self.reminder_hours.split("-"))
        return start, end

    class Config:
        env_file = ".env"
        env_file_encoding = "utf-8"

    @validator("reminder_send_hour")
    def _send_hour_in_window(cls, value: int, values: dict[str, object]) -> int:  # noqa: N805
        start, end = (int(part) for part in str(values.get("reminder_hours") or "09-19").split("-"))
        if not 0 <= start < end <= 24 or not start <= value < end:
            raise ValueError(
                "REMINDER_HOURS must be start-end with start < end, and REMINDER_SEND_HOUR inside"
            )
        return value

    @validator("action_server_url", "public_base_url", "telegram_api_base_url", "sms_api_base_url")
    def _strip_slash(cls, value: str) -> str:  # noqa: N805
        return value.rstrip("/")

    @validator("rasa_url")
    def _rasa_urls(cls, value: str) -> str:  # noqa: N805
        urls = _split_urls(value)
        if any(not url.startswith(("http://", "https://")) for url in urls):
            raise ValueError("RASA_URL : une ou plusieurs adresses http(s)://, séparées par des virgules")
        return ",".join(urls)

    @validator("rasa_workers")
    def _workers_share_redis(cls, value: int, values: dict[str, object]) -> int:  # noqa: N805
        several = value > 1 or len(_split_urls(str(values.get("rasa_url") or ""))) > 1
        if several and not values.get("redis_url"):
            raise ValueError(
                "plusieurs instances de Rasa (RASA_WORKERS > 1 ou plusieurs adresses dans RASA_URL) "
                "demandent REDIS_URL : elles doivent partager leurs conversations et leurs verrous "
                "dans Redis"
            )
        port = values.get("rasa_port")
        if isinstance(port, int) and port + value - 1 > 65535:
            raise ValueError("RASA_PORT + RASA_WORKERS - 1 dépasse 65535")
        return value

    @validator("db_auto_migrate", pre=True)
    def _empty_is_default(cls, value: object) -> object:  # noqa: N805
        return None if isinstance(value, str) and not value.strip() else value

    @validator("var_dir", "models_dir", "model_cache_dir", "kb_dir")
    def _expand(cls, value: Path) -> Path:  # noqa: N805
        return value.expanduser().absolute()

    @property
    def trusted_proxies(self) -> list[str]:
        """FORWARDED_ALLOW_IPS as a list; empty: no proxy is trusted."""
        return [item.strip() for item in self.forwarded_allow_ips.split(",") if item.strip()]

    @property
    def is_development(self) -> bool:
        return self.app_env in ("development", "test")

    @property
    def auto_migrate(self) -> bool:
        """DB_AUTO_MIGRATE, or when it is empty: on in development and test, off in production."""
        return self.is_development if self.db_auto_migrate is None else self.db_auto_migrate

    @property
    def public_url(self) -> str:
        """Base of the links given to people (plans, widget)."""
        return self.public_base_url or f"http://{self.host}:{self.port}"

    @property
    def telegram_configured(self) -> bool:
        return bool(self.telegram_bot_token)

    @property
    def sms_configured(self) -> bool:
        return all((self.sms_account_sid, self.sms_auth_token, self.sms_from_number, self.sms_api_base_url))

    @property
    def rasa_ports(self) -> list[int]:
        """The ports of the RASA_WORKERS local Rasa processes: RASA_PORT, RASA_PORT+1..."""
        return [self.rasa_port + i for i in range(self.rasa_workers)]

    @property
    def rasa_base_urls(self) -> list[str]:
        """Every Rasa instance: RASA_URL (comma-separated), else the local Rasa processes."""
        return _split_urls(self.rasa_url) or [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    @property
    def rasa_base_url(self) -> str:
        """The first Rasa instance (any of them serves the protected API: they share Redis)."""
        return self.rasa_base_urls[0]

    @property
    def action_base_url(self) -> str:
        return self.action_server_url or f"http://127.0.0.1:{self.action_port}"

    @property
    def sqlalchemy_url(self) -> str:
        """The gateway's record store, as an async SQLAlchemy URL."""
        url = self.database_url or f"sqlite:///{self.var_dir / 'assistant.db'}"
        scheme, _, rest = url.partition("://")
        drivers = {
            "sqlite": "sqlite+aiosqlite",
            "postgres": "postgresql+asyncpg",
            "postgresql": "postgresql+asyncpg",
        }
        if scheme in drivers:
            return f"{drivers[scheme]}://{rest}"
        if scheme in ("sqlite+aiosqlite", "postgresql+asyncpg"):
            return url
        raise SettingsError(f"DATABASE_URL: schéma non pris en charge « {scheme} »")

    @property
    def uses_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")

    def redis_parts(self) -> Optional[dict[str, object]]:
        """REDIS_URL split into the fields Rasa's Redis stores expect."""
        if not self.redis_url:
            return None
        parts = urlsplit(self.redis_url)
        if parts.scheme not in ("redis", "rediss"):
            raise SettingsError("REDIS_URL doit commencer par redis:// ou rediss://")
        db = parts.path.lstrip("/") or "0"
        if not db.isdigit():
            raise SettingsError("REDIS_URL: le numéro de base doit être un entier")
        return {
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 6379,
            "db": int(db),
            "password": parts.password,
            "use_ssl": parts.scheme == "rediss",
        }

    def check_secrets(self) -> None:
        """Outside development, refuse missing or weak secrets."""
        if self.is_development:
            return
        for name, value in (("RASA_TOKEN", self.rasa_token), ("SECRET_KEY", self.secret_key)):
            if value.lower() in WEAK_SECRETS or len(value) < 24:
                raise SettingsError(f"{name} est absent ou trop faible (24 caractères au moins)")
        secret = self.telegram_webhook_secret
        if self.telegram_configured and (secret.lower() in WEAK_SECRETS or len(secret) < 24):
            raise SettingsError("TELEGRAM_WEBHOOK_SECRET est absent ou trop faible (24 caractères au moins)")
        metrics = self.metrics_token
        if metrics and (metrics.lower() in WEAK_SECRETS or len(metrics) < 24):
            raise SettingsError("METRICS_TOKEN est trop faible (24 caractères au moins)")
        token = self.sms_auth_token  # it signs the SMS webhooks: a weak one lets anyone forge them
        if self.sms_configured and (token.lower() in WEAK_SECRETS or len(token) < 24):
            raise SettingsError("SMS_AUTH_TOKEN est trop faible (24 caractères au moins)")

    def with_dev_secrets(self) -> Settings:
        """Fill empty secrets with random ones, in development only."""
        self.check_secrets()
        updates: dict[str, str] = {}
        if not self.rasa_token:
            updates["rasa_token"] = secrets.token_urlsafe(32)
        if not self.secret_key:
            updates["secret_key"] = secrets.token_urlsafe(32)
        return self.copy(update=updates) if updates else self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests override the FastAPI dependency instead."""
    return Settings().with_dev_secrets()  # type: ignore[call-arg]


@lru_cache(maxsize=1)
def read_settings() -> Settings:
    """The process-wide settings of a process that checks no secret: action server, Rasa.

    Every module reads its settings here or through `get_settings`, never from `os.environ`, so that a
    variable has one name, one default and one validation in every process (`assistant.ops.stack`
    gives the action server and Rasa the stack's own environment).

    Secrets are checked where they are used, not where the settings are built: `get_settings` (the
    gateway, the command line) refuses missing or weak secrets outside development and fills them
    in development. The action server uses no secret; the Rasa launcher reads only RASA_TOKEN (it
    hands it to Rasa inside its process, never on a command line), neither SECRET_KEY nor the
    channels' secrets; both run on machines of their own in production (docs/operations.md)
    where these gateway secrets are rightly absent: here the fields
    are validated as everywhere (an invalid value still stops the process), the secrets are left as
    the environment gives them and never checked. Cached, like `get_settings`: read once per process
    (tests call `read_settings.cache_clear()` after changing the environment).
    """
    return Settings()  # type: ignore[call-arg]
