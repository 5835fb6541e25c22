"""deploy/k8s: the production overlay as `kubectl kustomize` renders it (no cluster needed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest
import yaml

from assistant.config import PROJECT_ROOT
from assistant.gateway.app import create_app
from assistant.ops.health import ROLES
from tests.conftest import make_settings
from tests.deploy.conftest import measured_peak_mb, parse_command

OVERLAY = PROJECT_ROOT / "deploy" / "k8s" / "overlays" / "production"
SECRET_NAMES = re.compile(r"TOKEN|SECRET|PASSWORD|DATABASE_URL|REDIS_URL|SMS_ACCOUNT_SID")
PROBE_PATHS = {"gateway": "/livez", "rasa": "/", "actions": "/health"}
UNITS = {"Ki": 1 / 1024, "Mi": 1.0, "Gi": 1024.0}


@pytest.fixture(scope="module")
def rendered() -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail("kubectl introuvable : installez-le (kubectl kustomize rend deploy/k8s)")
    result = subprocess.run(
        [kubectl, "kustomize", str(OVERLAY)], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def objects(rendered: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in rendered if doc["kind"] == kind}


def mebibytes(quantity: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(Ki|Mi|Gi)", quantity).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def pods(rendered: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Pod templates of the Deployments, the Job and the CronJob, by name."""
    found = {name: d["spec"]["template"] for name, d in objects(rendered, "Deployment").items()}
    found.update({name: d["spec"]["template"] for name, d in objects(rendered, "Job").items()})
    found.update(
        {n: d["spec"]["jobTemplate"]["spec"]["template"] for n, d in objects(rendered, "CronJob").items()}
    )
    return found


def containers(rendered: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        c
        for pod in pods(rendered).values()
        for c in pod["spec"].get("initContainers", []) + pod["spec"]["containers"]
    ]


def test_the_overlay_renders_every_object(rendered: list[dict[str, Any]]) -> None:
    kinds = {(doc["kind"], doc["metadata"]["name"]) for doc in rendered}
    assert {("Deployment", n) for n in ROLES} | {("Service", n) for n in ROLES} <= kinds
    assert {("HorizontalPodAutoscaler", "gateway"), ("HorizontalPodAutoscaler", "rasa")} <= kinds
    assert {("PodDisruptionBudget", n) for n in ROLES} <= kinds
    assert ("Job", "assistant-db-upgrade") in kinds and ("Namespace", "demarches-assistant") in kinds
    assert ("CronJob", "assistant-purge") in kinds
    assert {doc["metadata"].get("namespace") for doc in rendered if doc["kind"] != "Namespace"} == {
        "demarches-assistant"
    }
    assert all(c["image"] == "demarches-assistant:0.1.0" for c in containers(rendered))


def test_every_process_runs_an_assistant_command(rendered: list[dict[str, Any]]) -> None:
    deployments = objects(rendered, "Deployment")
    for role in ROLES:
        (container,) = deployments[role]["spec"]["template"]["spec"]["containers"]
        assert container["args"] == ["serve", role]
        parse_command(container["args"])
    for container in containers(rendered):
        parse_command(container["args"])
    (purge,) = objects(rendered, "CronJob").values()
    assert purge["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"] == ["purge"]
    (job,) = objects(rendered, "Job").values()
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["db", "upgrade"]
    (wait,) = deployments["gateway"]["spec"]["template"]["spec"]["initContainers"]
    assert wait["args"][:2] == ["db", "check"]  # new gateways wait for the Job's migration


def test_probes_ask_the_real_health_endpoints(rendered: list[dict[str, Any]]) -> None:
    routes = {route.path for route in create_app(make_settings(PROJECT_ROOT / "var")).routes}  # type: ignore[attr-defined]
    assert {"/livez", "/healthz"} <= routes
    for role, deployment in objects(rendered, "Deployment").items():
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        ports = {port["name"] for port in container["ports"]}
        for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
            probe = container[kind]
            if "httpGet" in probe:
                assert probe["httpGet"]["path"] == PROBE_PATHS[role] and probe["httpGet"]["port"] in ports
            else:  # Rasa's /status needs RASA_TOKEN: asked by our health check, from the environment
                assert role == "rasa" and kind == "readinessProbe"
                assert probe["exec"]["command"] == ["python", "-m", "assistant.ops.health", "rasa"]


def test_environment_names_are_settings_and_secrets_are_only_referenced(
    rendered: list[dict[str, Any]], known_names: set[str]
) -> None:
    assert "Secret" not in {doc["kind"] for doc in rendered}  # created in the cluster, never committed
    (config,) = objects(rendered, "ConfigMap").values()
    assert set(config["data"]) <= known_names
    assert not any(SECRET_NAMES.search(name) for name in config["data"])
    assert not any(re.search(r"://[^/]*@", value) for value in config["data"].values())  # no credentials
    for container in containers(rendered):
        for ref in container.get("envFrom", []):
            assert ref["configMapRef"]["name"] == config["metadata"]["name"]
        for variable in container.get("env", []):
            assert variable["name"] in known_names
            assert "value" not in variable, variable  # everything here is a secret
            assert variable["valueFrom"]["secretKeyRef"]["name"] == "assistant-secrets"
            assert variable["valueFrom"]["secretKeyRef"]["key"] == variable["name"]
    actions = objects(rendered, "Deployment")["actions"]["spec"]["template"]["spec"]["containers"][0]
    assert "env" not in actions  # the action server holds no secret


def test_resources_follow_the_measured_memory(rendered: list[dict[str, Any]]) -> None:
    peaks = measured_peak_mb()
    for container in containers(rendered):
        resources = container["resources"]
        assert {"cpu", "memory"} <= set(resources["requests"]) and "memory" in resources["limits"]
        assert mebibytes(resources["limits"]["memory"]) >= mebibytes(resources["requests"]["memory"])
    for role in ROLES:
        (container,) = objects(rendered, "Deployment")[role]["spec"]["template"]["spec"]["containers"]
        request = mebibytes(container["resources"]["requests"]["memory"])
        limit = mebibytes(container["resources"]["limits"]["memory"])
        assert request >= peaks[role] and limit >= 1.25 * request, (role, peaks[role], request, limit)


def test_scaling_and_disruption_budgets_select_the_deployments(rendered: list[dict[str, Any]]) -> None:
    deployments = objects(rendered, "Deployment")
    labels = {name: d["spec"]["template"]["metadata"]["labels"] for name, d in deployments.items()}
    for name, hpa in objects(rendered, "HorizontalPodAutoscaler").items():
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    for name, budget in objects(rendered, "PodDisruptionBudget").items():
        selector = budget["spec"]["selector"]["matchLabels"]
        assert [n for n, pod in labels.items() if selector.items() <= pod.items()] == [name]
        assert budget["spec"]["minAvailable"] < deployments[name]["spec"]["replicas"]
    for name, service in objects(rendered, "Service").items():
        assert service["spec"]["selector"].items() <= labels[name].items()
    (config,) = objects(rendered, "ConfigMap").values()
    services = objects(rendered, "Service")
    for url in (config["data"]["RASA_URL"], config["data"]["ACTION_SERVER_URL"]):
        host, port = re.fullmatch(r"http://([a-z-]+):(\d+)", url).groups()  # type: ignore[union-attr]
        assert int(port) in [p["port"] for p in services[host]["spec"]["ports"]]


def test_network_policies_let_only_the_gateway_reach_rasa(rendered: list[dict[str, Any]]) -> None:
    """Who may open a connection to each process: anyone to the gateway, the gateway to Rasa, Rasa
    (its webhook) and the gateway (the action server's /health) to the action server, nobody else."""
    labels = {
        n: d["spec"]["template"]["metadata"]["labels"] for n, d in objects(rendered, "Deployment").items()
    }
    labels.update({name: pod["metadata"]["labels"] for name, pod in pods(rendered).items()})
    policies = list(objects(rendered, "NetworkPolicy").values())
    assert any(
        p["spec"]["podSelector"] == {} and "ingress" not in p["spec"] for p in policies
    )  # deny by default

    def allowed(target: str) -> set[str]:
        sources: set[str] = set()
        for policy in policies:
            selector = policy["spec"]["podSelector"].get("matchLabels", {})
            if not selector.items() <= labels[target].items():
                continue
            for rule in policy["spec"].get("ingress", []):
                if "from" not in rule:
                    sources.add("*")
                for peer in rule.get("from", []):
                    wanted = peer["podSelector"]["matchLabels"]
                    sources |= {name for name, pod in labels.items() if wanted.items() <= pod.items()}
        return sources

    assert allowed("gateway") == {"*"}
    assert allowed("rasa") == {"gateway"}
    assert allowed("actions") == {"rasa", "gateway"}
    assert allowed("assistant-db-upgrade") == allowed("assistant-purge") == set()


def test_pods_run_without_rights(rendered: list[dict[str, Any]]) -> None:
    for pod in pods(rendered).values():
        spec = pod["spec"]
        assert spec["securityContext"]["runAsNonRoot"] and spec["automountServiceAccountToken"] is False
        for container in spec.get("initContainers", []) + spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] and not security["allowPrivilegeEscalation"]
            mounts = {m["mountPath"] for m in container["volumeMounts"]}
            assert {"/tmp", "/app/var"} <= mounts
