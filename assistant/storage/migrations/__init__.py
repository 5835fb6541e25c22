"""Alembic's migration environment of the gateway's records: `assistant db upgrade` runs it."""
