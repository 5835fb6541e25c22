"""Files under VAR_DIR (SQLite databases, Rasa's tracker store, rendered endpoints) hold
conversations and credentials: readable by the service's own user only."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077


def private_files(var_dir: Path) -> None:
    """VAR_DIR made 0700 and its files 0600, and this process's umask set so that every file it
    creates from now on is 0600 (children started afterwards inherit it)."""
    os.umask(PRIVATE_UMASK)
    var_dir.mkdir(parents=True, exist_ok=True)
    var_dir.chmod(0o700)
    for path in var_dir.iterdir():
        if path.is_file() and not path.is_symlink():
            path.chmod(0o600)
