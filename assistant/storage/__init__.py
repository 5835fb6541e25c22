"""SQL record store of the gateway (SQLite by default, PostgreSQL with DATABASE_URL)."""

from assistant.storage.db import Database, StorageUnavailable
from assistant.storage.migrate import SchemaOutdated
from assistant.storage.tables import metadata

__all__ = ["Database", "SchemaOutdated", "StorageUnavailable", "metadata"]
