# syntax=docker/dockerfile:1
# One image for the three processes, chosen by the command (docs/operations.md):
#   docker run IMAGE serve gateway | serve rasa | serve actions | db upgrade
# Build: docker build -t demarches-assistant:VERSION .
# Packages come from the index pip is configured for; another one (a mirror, a proxy) is given with
# --build-arg PIP_INDEX_URL=... (and PIP_EXTRA_INDEX_URL, PIP_FIND_LINKS): used by the build stage only.

ARG PYTHON_IMAGE=python:3.10-slim-bookworm

# --- build: the virtualenv from requirements.lock, every package checked against its hash ---------
FROM ${PYTHON_IMAGE} AS build
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_FIND_LINKS
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements.lock pyproject.toml README.md ./
RUN grep -q -- "--hash=sha256:" requirements.lock \
    || { echo "requirements.lock sans empreintes : régénérez-le avec uv pip compile --generate-hashes" >&2; exit 1; }
# pip compiles the bytecode of every package it installs; the development tools of the lock go.
RUN python -m venv /app/.venv \
    && /app/.venv/bin/pip install --require-hashes --no-deps -r requirements.lock \
    && /app/.venv/bin/pip uninstall --yes pytest pytest-asyncio pytest-timeout ruff mypy playwright \
        hypothesis types-redis types-PyYAML py-spy pytest-cov
COPY assistant ./assistant
COPY actions ./actions
COPY channels ./channels
# Editable, as `make setup` installs it: the project root stays /app (data/, models/, credentials.yml).
RUN /app/.venv/bin/pip install --no-deps --no-build-isolation --no-index -e . \
    && /app/.venv/bin/python -m compileall -q assistant actions channels

# --- model: trained once at build time, named by the hash of its inputs (assistant/rasa/training.py)
FROM build AS model
COPY domain.yml config.yml ./
COPY data/nlu ./data/nlu
COPY data/rules ./data/rules
COPY data/stories ./data/stories
RUN MODELS_DIR=/app/models MODEL_CACHE_DIR=/tmp/model-cache /app/.venv/bin/assistant train

# --- runtime: no compiler, no pip cache, a user without rights -------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 assistant \
    && useradd --system --uid 10001 --gid assistant --home-dir /home/assistant --create-home \
        --shell /usr/sbin/nologin assistant
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/.venv ./.venv
COPY --from=build /app/pyproject.toml ./
COPY --from=build /app/assistant ./assistant
COPY --from=build /app/actions ./actions
COPY --from=build /app/channels ./channels
# The training inputs name the model `serve rasa` loads; the knowledge base is read by the actions.
COPY domain.yml config.yml credentials.yml ./
COPY data/nlu ./data/nlu
COPY data/rules ./data/rules
COPY data/stories ./data/stories
COPY data/kb ./data/kb
# Or mount another trained model over it: -v ./models:/app/models:ro (serve rasa --model PATH).
COPY --from=model /app/models ./models
RUN mkdir -p /app/var && chown assistant:assistant /app/var
USER 10001:10001
EXPOSE 8000 5005 5055
# The role is read from the first process (assistant/ops/health.py); Rasa loads its model first.
HEALTHCHECK --interval=30s --timeout=10s --start-period=180s --retries=3 \
    CMD ["python", "-m", "assistant.ops.health"]
ENTRYPOINT ["assistant"]
CMD ["serve", "gateway"]
