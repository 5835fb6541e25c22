"""The process specs of one whole stack: action server, Rasa server, gateway."""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.config import PROJECT_ROOT, Settings
from assistant.ops.supervisor import ProcessSpec
from assistant.rasa.endpoints import write_endpoints

WILDCARD_HOSTS = ("", "0.0.0.0", "::")  # noqa: S104 (addresses to listen on, never to connect to)


def local_url(settings: Settings, port: int) -> str:
    """A process of this machine (or container) on `port`: HOST, or the loopback when HOST is a wildcard."""
    host = "127.0.0.1" if settings.host in WILDCARD_HOSTS else settings.host
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def health_url(role: str, settings: Settings, port: int | None = None) -> str:
    """What `assistant run` waits for, and what `assistant health` (container checks) asks."""
    if role == "gateway":
        return f"{local_url(settings, settings.port)}/healthz"
    if role == "rasa":  # 200 once the model is loaded; the token goes in a header (health_headers)
        return f"{local_url(settings, port or settings.rasa_port)}/status"
    if role == "actions":
        return f"{local_url(settings, settings.action_port)}/health"
    raise ValueError(f"unknown role {role!r}")


def health_headers(role: str, settings: Settings) -> dict[str, str]:
    """Rasa's /status needs its token: in a header, never in the URL (URLs end up in logs)."""
    return {"Authorization": f"Bearer {settings.rasa_token}"} if role == "rasa" else {}


def child_env(settings: Settings) -> dict[str, str]:
    """What every child must agree on, including secrets generated for this run."""
    env = {
        "APP_ENV": settings.app_env,
        "RASA_TOKEN": settings.rasa_token,
        "SECRET_KEY": settings.secret_key,
        "RASA_URL": ",".join(settings.rasa_base_urls),
        "ACTION_SERVER_URL": settings.action_base_url,
        "KB_DIR": str(settings.kb_dir),
        "VAR_DIR": str(settings.var_dir),
        "SANIC_HOST": settings.host,
        "RASA_TELEMETRY_ENABLED": "false",  # no phoning home from a public-service deployment
        "ACTION_TIMEOUT": str(settings.action_timeout),  # read by assistant.rasa.server
    }
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    if settings.redis_url:
        env["REDIS_URL"] = settings.redis_url
        env["REDIS_KEY_PREFIX"] = settings.redis_key_prefix  # the gateway's keys, with Rasa's
    return env


def action_server_spec(settings: Settings) -> ProcessSpec:
    return ProcessSpec(
        name="actions",
        command=[
            sys.executable,
            "-m",
            "rasa_sdk",
            "--actions",
            "actions",
            "--port",
            str(settings.action_port),
        ],
        health_url=health_url("actions", settings),
        env=child_env(settings),
        cwd=str(PROJECT_ROOT),
    )


def rasa_specs(settings: Settings, model: Path) -> list[ProcessSpec]:
    """RASA_WORKERS Rasa processes, on RASA_PORT, RASA_PORT+1..., balanced by the gateway.

    Separate processes rather than Sanic workers behind one port: Sanic's master process holds its
    own copy of Rasa's libraries (about 650 MB), and the kernel spreads connections, not messages,
    over the workers (the gateway keeps its connections open).
    """
    ports = settings.rasa_ports
    if len(ports) == 1:
        return [rasa_spec(settings, model, port=ports[0])]
    return [rasa_spec(settings, model, port=port, name=f"rasa-{i + 1}") for i, port in enumerate(ports)]


def rasa_spec(
    settings: Settings, model: Path, port: int | None = None, api: bool = True, name: str = "rasa"
) -> ProcessSpec:
    """One Rasa server (`assistant.rasa.server`: Rasa's CLI, the action response schema checked
    once); with `api=False`, a plain `rasa run` (REST channel only), as a baseline."""
    port = port or settings.rasa_port
    endpoints = write_endpoints(settings, settings.var_dir / f"endpoints-{port}.yml")
    command = [
        sys.executable, "-m", "assistant.rasa.server" if api else "rasa", "run",
        "--model", str(model),
        # The launcher reads RASA_TOKEN from its environment: never on a command line (ps shows it).
        *(["--enable-api"] if api else []),
        "--interface", settings.host, "--port", str(port),
        "--endpoints", str(endpoints),
        "--credentials", str(PROJECT_ROOT / "credentials.yml"),
        "--response-timeout", str(int(settings.rasa_timeout)),
    ]  # fmt: skip
    health = health_url("rasa", settings, port) if api else f"{local_url(settings, port)}/webhooks/rest/"
    # One Sanic worker: no master process. Two malloc arenas for TensorFlow's threads, not glibc's
    # default of up to eight per core, each holding freed memory of its own.
    env = {**child_env(settings), "SANIC_WORKERS": "1", "MALLOC_ARENA_MAX": "2"}
    return ProcessSpec(
        name=name,
        command=command,
        health_url=health,
        env=env,
        cwd=str(PROJECT_ROOT),
        health_headers=health_headers("rasa", settings) if api else {},
    )


def gateway_spec(settings: Settings) -> ProcessSpec:
    command = [
        sys.executable, "-m", "uvicorn", "assistant.gateway.app:create_app", "--factory",
        "--host", settings.host, "--port", str(settings.port),
        "--no-access-log", "--timeout-graceful-shutdown", "10",
        # X-Forwarded-For is believed by the app only from FORWARDED_ALLOW_IPS (empty: from nobody),
        # never by uvicorn's own default (127.0.0.1: anything on the machine could forge it).
        "--no-proxy-headers",
        # uvicorn's own cap on a WebSocket frame (16 MiB by default), a little above the gateway's.
        "--ws-max-size", str(settings.max_ws_frame_bytes + 1024),
    ]  # fmt: skip
    return ProcessSpec(
        name="gateway",
        command=command,
        health_url=health_url("gateway", settings),
        env=child_env(settings),
        cwd=str(PROJECT_ROOT),
    )
