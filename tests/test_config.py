"""Settings read from the environment."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from actions import kb
from assistant.config import PROJECT_ROOT, Settings, SettingsError, get_settings, read_settings


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


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The process-wide settings read again from the environment as the test sets it (not from a
    developer's `.env`), and forgotten afterwards."""
    monkeypatch.chdir(tmp_path)
    read_settings.cache_clear()
    get_settings.cache_clear()
    yield
    read_settings.cache_clear()
    get_settings.cache_clear()


@pytest.mark.usefixtures("fresh_settings")
def test_processes_without_secrets_start_outside_development(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The action server and Rasa read their settings without the gateway's secrets; the gateway
    still refuses to start without them."""
    monkeypatch.setenv("APP_ENV", "production")
    for name in ("SECRET_KEY", "RASA_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "SMS_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KB_DIR", str(tmp_path / "kb"))
    monkeypatch.setenv("ACTION_TIMEOUT", "7.5")
    current = read_settings()
    assert (current.app_env, current.kb_dir, current.action_timeout) == ("production", tmp_path / "kb", 7.5)
    assert current.secret_key == "" and current.rasa_token == ""  # left as given, never invented
    assert read_settings() is current  # read once per process
    assert kb.kb_dir() == tmp_path / "kb"
    with pytest.raises(SettingsError, match="RASA_TOKEN"):
        get_settings()


@pytest.mark.usefixtures("fresh_settings")
def test_the_knowledge_base_directory_comes_from_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KB_DIR", raising=False)
    assert kb.kb_dir() == PROJECT_ROOT / "data" / "kb"
    read_settings.cache_clear()
    monkeypatch.setenv("KB_DIR", "relative/kb")  # relative to the working directory, as before
    assert kb.kb_dir() == tmp_path / "relative" / "kb"


# Reading the environment directly: `os.environ` (and `os.environb`), `os.getenv` (and `getenvb`).
ENVIRONMENT_READERS = {"environ", "environb", "getenv", "getenvb"}
SOURCE_PACKAGES = ("assistant", "actions", "channels")


def environment_reads(source: str) -> list[tuple[int, str]]:
    """The direct reads of the environment in a module's source: (line, kind), kind being
    "**os.environ" for the whole environment unpacked into a dict, "os.<name>" otherwise."""
    tree = ast.parse(source)
    os_names = {"os"}  # the names the os module is bound to (`import os as o`)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            os_names |= {alias.asname or alias.name for alias in node.names if alias.name == "os"}
    unpacked = {
        id(value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        for key, value in zip(node.keys, node.values, strict=True)
        if key is None
    }
    reads: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            reads += [(node.lineno, f"os.{a.name}") for a in node.names if a.name in ENVIRONMENT_READERS]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in ENVIRONMENT_READERS
            and isinstance(node.value, ast.Name)
            and node.value.id in os_names
        ):
            whole = node.attr == "environ" and id(node) in unpacked
            reads.append((node.lineno, "**os.environ" if whole else f"os.{node.attr}"))
    return sorted(reads)


def test_the_detector_finds_every_spelling() -> None:
    source = (
        "import os\nimport os as system\nfrom os import getenv, environ as env, path\n"
        "a = os.environ['A']\nb = os.getenv('B')\nc = system.environ.get('C')\n"
        "d = {**os.environ, 'E': '1'}\ne = os.path.join('x')\n"
    )
    assert environment_reads(source) == [
        (3, "os.environ"),
        (3, "os.getenv"),
        (4, "os.environ"),
        (5, "os.getenv"),
        (6, "os.environ"),
        (7, "**os.environ"),
    ]


def test_settings_are_read_only_through_the_settings_object() -> None:
    """One source for every setting: no module reads the environment but assistant/config.py.

    Allowed: the supervisor (`assistant run`) and `assistant serve` (which execs one process of the
    stack) hand their whole environment to the child process (`{**os.environ, ...}`): copied, not
    read for a setting. Exactly that one use in each, nothing else.
    """
    allowed = {
        "assistant/ops/supervisor.py": ["**os.environ"],
        "assistant/ops/serve.py": ["**os.environ"],
    }
    found: dict[str, list[tuple[int, str]]] = {}
    for package in SOURCE_PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            name = path.relative_to(PROJECT_ROOT).as_posix()
            reads = environment_reads(path.read_text(encoding="utf-8"))
            if name != "assistant/config.py" and [kind for _, kind in reads] != allowed.get(name, []):
                found[name] = reads
    assert found == {}, "read these settings through assistant.config.Settings (file: [(line, read)])"
