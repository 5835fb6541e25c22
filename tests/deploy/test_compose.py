"""compose.yaml: parsed and checked as far as a machine without a container daemon can."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from typing import Any

import pytest
import yaml

from assistant.config import PROJECT_ROOT, Settings
from tests.deploy.conftest import COMPOSE_ONLY, parse_command

COMPOSE = PROJECT_ROOT / "compose.yaml"
OURS = {"gateway", "rasa-1", "rasa-2", "actions", "migrate"}
VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}")
FAKE = {"RASA_TOKEN": "r" * 32, "SECRET_KEY": "s" * 32, "POSTGRES_PASSWORD": "p" * 20}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return loaded


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?error}`."""

    def one(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        if env.get(name):
            return env[name]
        if operator and operator.endswith("?"):
            raise KeyError(f"{name}: {argument}")
        return argument or ""

    return VARIABLE.sub(one, value)


def test_services_healthchecks_and_start_order(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == OURS | {"postgres", "redis"}
    for name, service in services.items():
        if name == "migrate":
            assert service["healthcheck"] == {"disable": True} and service["restart"] == "no"
        else:
            assert service["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL"), name
    gateway = services["gateway"]["depends_on"]
    assert {n: d["condition"] for n, d in gateway.items()} == {
        "migrate": "service_completed_successfully",
        **{n: "service_healthy" for n in ("postgres", "redis", "rasa-1", "rasa-2", "actions")},
    }
    for name in ("rasa-1", "rasa-2"):
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["gateway"]["ports"] == ["127.0.0.1:8000:8000"]  # only the gateway, for the local proxy


def test_our_services_run_assistant_commands_and_set_only_settings(
    compose: dict[str, Any], known_names: set[str]
) -> None:
    for name in OURS:
        service = compose["services"][name]
        assert service["image"].startswith("demarches-assistant:") and service["build"] == "."
        parse_command(service["command"])
        assert set(service["environment"]) <= known_names, name
        if name != "migrate":
            role = service["command"][1]
            assert service["healthcheck"]["test"] == ["CMD", "python", "-m", "assistant.ops.health", role]
    names = {match[0] for match in VARIABLE.findall(COMPOSE.read_text(encoding="utf-8"))}
    assert names <= known_names | COMPOSE_ONLY
    documented = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    assert all(re.search(rf"^{name}=", documented, re.M) for name in COMPOSE_ONLY)


def test_secrets_come_from_the_environment_only(compose: dict[str, Any]) -> None:
    for service in compose["services"].values():
        for name, value in (service.get("environment") or {}).items():
            if re.search(r"TOKEN|SECRET|PASSWORD", name):
                assert re.fullmatch(r"\$\{[A-Z_]+:[-?][^}]*\}", str(value)), (name, value)
    gateway = compose["services"]["gateway"]["environment"]
    assert "${POSTGRES_PASSWORD:?" in gateway["DATABASE_URL"]
    with pytest.raises(KeyError, match="RASA_TOKEN"):  # compose refuses to start without it
        interpolate(gateway["RASA_TOKEN"], {})


@pytest.mark.parametrize("service", sorted(OURS))
def test_each_service_environment_is_a_valid_production_configuration(
    compose: dict[str, Any], service: str, known_names: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the process in the container reads: the service's variables, nothing from this machine."""
    for name in known_names:
        monkeypatch.delenv(name, raising=False)
    for name, value in compose["services"][service]["environment"].items():
        monkeypatch.setenv(name, interpolate(str(value), FAKE))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.app_env == "production" and not settings.auto_migrate
    if service == "gateway":
        settings.check_secrets()
        assert settings.rasa_base_urls == ["http://rasa-1:5005", "http://rasa-2:5005"]
        assert settings.sqlalchemy_url.startswith("postgresql+asyncpg://assistant:")
        assert settings.redis_parts() is not None and settings.action_base_url == "http://actions:5055"
    if service.startswith("rasa"):  # trackers and locks shared by both
        assert settings.redis_url and len(settings.rasa_token) >= 24
        assert settings.action_base_url == "http://actions:5055"
    if service in ("gateway", "migrate"):
        assert "@postgres:5432/assistant" in settings.database_url


def test_compose_itself_accepts_the_file_when_installed() -> None:
    """`docker compose config` validates against the compose specification, without a daemon; the
    plugin is not on every machine, so this part runs only where it is."""
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        return
    env = {**os.environ, **FAKE}
    result = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "--quiet"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
