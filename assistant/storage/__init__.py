"""SQL record store of the gateway (SQLite by default, PostgreSQL with DATABASE_URL)."""

from assistant.storage.db import Database, StorageUnavailable
from assistant.storage.tables import metadata

__all__ = ["Database", "StorageUnavailable", "metadata"]
