"""The Rasa process specs: their endpoints, ports and number."""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.config import Settings
from assistant.ops.stack import gateway_spec, rasa_spec, rasa_specs
from tests.conftest import make_settings


def test_rasa_workers_become_processes_on_consecutive_ports_with_the_atomic_lock_store(
    tmp_path: Path,
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        var_dir=tmp_path,
        redis_url="redis://127.0.0.1:6379/15",
        rasa_workers=3,
        rasa_port=5990,
        redis_key_prefix="bench1",
    )
    specs = rasa_specs(settings, tmp_path / "model.tar.gz")
    assert [s.name for s in specs] == ["rasa-1", "rasa-2", "rasa-3"]
    assert [s.command[s.command.index("--port") + 1] for s in specs] == ["5990", "5991", "5992"]
    assert {s.env["SANIC_WORKERS"] for s in specs} == {"1"}  # no Sanic master process
    # The gateway (and every child) is told all three, to balance the messages over them.
    urls = "http://127.0.0.1:5990,http://127.0.0.1:5991,http://127.0.0.1:5992"
    assert {s.env["RASA_URL"] for s in specs} == {urls}
    assert gateway_spec(settings).env["RASA_URL"] == urls
    assert gateway_spec(settings).env["REDIS_KEY_PREFIX"] == "bench1"  # cleaned up with Rasa's keys
    for port in (5990, 5991, 5992):
        endpoints = yaml.safe_load((tmp_path / f"endpoints-{port}.yml").read_text())
        assert endpoints["lock_store"]["type"] == "assistant.rasa.lock_store.AtomicRedisLockStore"
        assert endpoints["tracker_store"]["key_prefix"] == "bench1"


def test_one_rasa_process_by_default(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, var_dir=tmp_path)  # type: ignore[call-arg]
    (spec,) = rasa_specs(settings, tmp_path / "m.tar.gz")
    assert spec.name == "rasa" and spec.env["SANIC_WORKERS"] == "1"
    assert spec.env["RASA_URL"] == "http://127.0.0.1:5005"


def test_our_rasa_runs_through_the_launcher_and_the_baseline_is_plain_rasa(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, var_dir=tmp_path)  # type: ignore[call-arg]
    ours = rasa_spec(settings, tmp_path / "m.tar.gz", port=5998)
    plain = rasa_spec(settings, tmp_path / "m.tar.gz", port=5997, api=False)
    assert ours.command[1:4] == ["-m", "assistant.rasa.server", "run"]
    assert "--enable-api" in ours.command and ours.env["RASA_TELEMETRY_ENABLED"] == "false"
    assert plain.command[1:4] == ["-m", "rasa", "run"] and "--enable-api" not in plain.command


def test_rasa_token_is_never_on_a_command_line_nor_in_a_url(tmp_path: Path) -> None:
    """Issue #27: the process list and the stack's log showed Rasa's token. It goes by the
    environment, and the launcher hands it to Rasa's own parser inside the process, where a token
    starting with "-" (secrets.token_urlsafe: once in 64 draws) is still read as the token."""
    from rasa.__main__ import create_argument_parser

    from assistant.rasa.auth import with_token

    settings = make_settings(tmp_path, rasa_token="-dash-first_token")
    spec = rasa_spec(settings, tmp_path / "m.tar.gz", port=5998)
    assert not any("dash-first" in word for word in spec.command)
    assert "dash-first" not in spec.health_url
    assert spec.env["RASA_TOKEN"] == "-dash-first_token"
    assert spec.health_headers == {"Authorization": "Bearer -dash-first_token"}
    arguments = with_token(spec.command[3:], spec.env["RASA_TOKEN"])  # after python -m assistant.rasa.server
    args = create_argument_parser().parse_args(arguments)
    assert args.auth_token == "-dash-first_token" and args.enable_api and args.port == 5998
    assert with_token(["run", "--auth-token", "given"], "env") == ["run", "--auth-token", "given"]


def test_uvicorn_believes_no_forwarded_header_itself(tmp_path: Path) -> None:
    """uvicorn trusts X-Forwarded-For from 127.0.0.1 by default: the app does it, from
    FORWARDED_ALLOW_IPS only (issue #27)."""
    assert "--no-proxy-headers" in gateway_spec(make_settings(tmp_path)).command


def test_uvicorn_frame_cap_follows_the_gateway_limit(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, var_dir=tmp_path, max_ws_frame_bytes=20_000)  # type: ignore[call-arg]
    command = gateway_spec(settings).command
    assert int(command[command.index("--ws-max-size") + 1]) == 21_024
