"""Bad input gives a clear ``KnowledgeBaseError`` and never a half-written output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.kb import KnowledgeBaseError, load_knowledge_base
from assistant.kb.build import build
from assistant.ops.kb_cli import main

Log = Callable[[str], None]


def _fiche(package: Path, name: str) -> Path:
    return package / "data" / "particuliers" / name


def _assert_untouched(out: Path) -> None:
    """The previous output is intact and no temporary folder is left beside it."""
    assert (out / "keep.txt").read_text(encoding="utf-8") == "previous build"
    assert sorted(path.name for path in out.parent.iterdir()) == [out.name]


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    out = tmp_path / "site" / "kb"
    out.mkdir(parents=True)
    (out / "keep.txt").write_text("previous build", encoding="utf-8")
    return out


def test_missing_source(tmp_path: Path, previous: Path, quiet: Log) -> None:
    with pytest.raises(KnowledgeBaseError, match="Source introuvable"):
        build(tmp_path / "nowhere", previous, log=quiet)
    _assert_untouched(previous)


def test_corrupt_archive(tmp_path: Path, previous: Path, quiet: Log) -> None:
    archive = tmp_path / "broken.tgz"
    archive.write_bytes(b"\x1f\x8b\x08\x00 this is not a gzip stream at all" * 20)
    with pytest.raises(KnowledgeBaseError, match="Archive illisible ou corrompue"):
        build(archive, previous, log=quiet)
    _assert_untouched(previous)


def test_truncated_archive(fixture_tgz: Path, tmp_path: Path, previous: Path, quiet: Log) -> None:
    truncated = tmp_path / "truncated.tgz"
    truncated.write_bytes(fixture_tgz.read_bytes()[: fixture_tgz.stat().st_size // 2])
    with pytest.raises(KnowledgeBaseError):
        build(truncated, previous, log=quiet)
    _assert_untouched(previous)


def test_corrupt_fiche_names_the_fiche(package_copy: Path, previous: Path, quiet: Log) -> None:
    path = _fiche(package_copy, "F1168.json")
    path.write_text(path.read_text(encoding="utf-8")[:500], encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"F1168 \(particuliers\) : JSON invalide"):
        build(package_copy, previous, log=quiet)
    _assert_untouched(previous)


def test_corrupt_fiche_inside_archive(
    package_copy: Path, tmp_path: Path, previous: Path, quiet: Log, tgz_of: Callable[[Path, Path], Path]
) -> None:
    _fiche(package_copy, "F909.json").write_text("{not json", encoding="utf-8")
    archive = tgz_of(package_copy, tmp_path / "bad.tgz")
    with pytest.raises(KnowledgeBaseError, match="F909"):
        build(archive, previous, log=quiet)
    _assert_untouched(previous)


def test_unknown_condition_element(package_copy: Path, previous: Path, quiet: Log) -> None:
    path = _fiche(package_copy, "F14128.xml")
    text = path.read_text(encoding="utf-8")
    assert '<estVrai var="T10280"/>' in text
    path.write_text(
        text.replace('<estVrai var="T10280"/>', '<estPeutEtre var="T10280"/>', 1), encoding="utf-8"
    )
    with pytest.raises(KnowledgeBaseError, match=r"F14128 : élément de condition inconnu <estPeutEtre>"):
        build(package_copy, previous, log=quiet)
    _assert_untouched(previous)


def test_unknown_content_element(package_copy: Path, previous: Path, quiet: Log) -> None:
    path = _fiche(package_copy, "F33362.json")
    path.write_text(path.read_text(encoding="utf-8").replace('"name":"BlocCas"', '"name":"BlocMystere"', 1))
    with pytest.raises(KnowledgeBaseError, match=r"F33362 : élément de contenu inconnu <BlocMystere>"):
        build(package_copy, previous, log=quiet)
    _assert_untouched(previous)


def test_unknown_fiche_structure(package_copy: Path, previous: Path, quiet: Log) -> None:
    path = _fiche(package_copy, "F2604.json")
    path.write_text(path.read_text(encoding="utf-8").replace('"name":"Publication"', '"name":"Brochure"', 1))
    with pytest.raises(KnowledgeBaseError, match=r"F2604 \(particuliers\) : structure inconnue"):
        build(package_copy, previous, log=quiet)
    _assert_untouched(previous)


def test_unknown_fiche_type(package_copy: Path, previous: Path, quiet: Log) -> None:
    path = _fiche(package_copy, "F909.json")
    path.write_text(
        path.read_text(encoding="utf-8").replace('"type":"Fiche d\'information"', '"type":"Poème"', 1)
    )
    with pytest.raises(KnowledgeBaseError, match="F909 : type de fiche inconnu 'Poème'"):
        build(package_copy, previous, log=quiet)


def test_fiche_listed_but_missing(package_copy: Path, previous: Path, quiet: Log) -> None:
    _fiche(package_copy, "F911.json").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"F911 \(particuliers\) : fichier absent"):
        build(package_copy, previous, log=quiet)
    _assert_untouched(previous)


def test_missing_index(package_copy: Path, previous: Path, quiet: Log) -> None:
    (package_copy / "data" / "index.json").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"data/index\.json absent"):
        build(package_copy, previous, log=quiet)


def test_successful_rebuild_replaces_the_folder(fixture_package: Path, previous: Path, quiet: Log) -> None:
    build(fixture_package, previous, log=quiet)
    assert not (previous / "keep.txt").exists()
    assert (previous / "situations.json").is_file()
    assert sorted(path.name for path in previous.parent.iterdir()) == ["kb"]


def test_cli_reports_bad_fiche_without_traceback(
    package_copy: Path, previous: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fiche(package_copy, "F1144.json").write_text("[]", encoding="utf-8")
    assert main(["build", "--source", str(package_copy), "--out", str(previous)]) == 2
    err = capsys.readouterr().err
    assert "Erreur : Fiche F1144 (particuliers)" in err and "Traceback" not in err
    _assert_untouched(previous)


def test_loading_a_missing_or_corrupt_knowledge_base(tmp_path: Path, built_dir: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="introuvable"):
        load_knowledge_base(tmp_path / "none")
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in built_dir.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    (broken / "catalogue.json").write_text(json.dumps({"entries": [{"id": "F1"}]}), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="illisible"):
        load_knowledge_base(broken)
    (broken / "glossary.json").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"glossary\.json est absent"):
        load_knowledge_base(broken)
