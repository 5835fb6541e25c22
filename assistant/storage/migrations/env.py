"""Alembic's environment, run by `assistant db ...` and `Database.start` (assistant/storage/migrate.py),
which give it the connection to migrate: there is no alembic.ini."""

from alembic import context

from assistant.storage.migrate import run_migrations

run_migrations(context)  # type: ignore[arg-type]  # the module proxies an EnvironmentContext
