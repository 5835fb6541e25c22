"""``assistant kb build``: read the package, write the knowledge base atomically.

Everything is extracted in memory first; the files are then written into a temporary
folder next to the output, which replaces the output folder in one rename. A failure
at any point leaves the previous output untouched and no temporary folder behind.
Output is deterministic: sorted keys, stable order, no timestamps.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.kb.annotate import annotate, dated_texts
from assistant.kb.errors import KnowledgeBaseError
from assistant.kb.extract_catalogue import extract_entry
from assistant.kb.extract_glossary import GlossaryCollector
from assistant.kb.extract_situations import TimingRecord, extract_situation
from assistant.kb.models import ATTRIBUTION, LICENCE, CatalogueEntry, Meta, Situation, fiche_sort_key
from assistant.kb.source import AUDIENCES, IndexEntry, PackageSource

SITUATION_LISTS = frozenset({"Comment faire si", "Comment faire pour"})
FILES = ("meta.json", "situations.json", "catalogue.json", "glossary.json", "report.json")


@dataclass
class BuildResult:
    out_dir: Path
    meta: Meta
    unnormalised: list[TimingRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def is_situation(entry: IndexEntry) -> bool:
    """Life situations sit at ``Accueil X > Comment faire si|pour > Title``."""
    parts = [part.strip() for part in entry.theme.split(" > ")]
    return len(parts) == 3 and parts[1] in SITUATION_LISTS


def _merge(records: list[CatalogueEntry]) -> CatalogueEntry:
    """One entry per id: the first audience (particuliers, professionnels, associations) wins."""
    ordered = sorted(records, key=lambda record: AUDIENCES.index(record.audience))
    primary = ordered[0]
    cerfa = list(dict.fromkeys(number for record in ordered for number in record.cerfa))
    organisation = next((r.organisation for r in ordered if r.organisation), None)
    return replace(primary, cerfa=cerfa, organisation=organisation, audiences=[r.audience for r in ordered])


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _dump_entries(entries: Iterable[dict[str, Any]]) -> str:
    """``{"entries": [...]}`` with one entry per line (small diffs, small files)."""
    lines = [
        json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for entry in entries
    ]
    return '{"entries": [\n' + ",\n".join(lines) + "\n]}\n"


def extract(source: PackageSource, log: Callable[[str], None]) -> tuple[dict[str, str], BuildResult]:
    """Read every fiche and return the output files' text (name -> content)."""
    records: dict[str, list[CatalogueEntry]] = {}
    situations: dict[str, Situation] = {}
    timings_of: dict[str, list[TimingRecord]] = {}
    glossary = GlossaryCollector()
    fiche_texts: dict[str, list[str]] = {}
    for count, (entry, root) in enumerate(source.fiches(), 1):
        records.setdefault(entry.id, []).append(extract_entry(entry, root))
        fiche_texts.setdefault(entry.id, dated_texts(root))
        glossary.add(root, entry.id)
        previous = situations.get(entry.id)
        if is_situation(entry) and (
            previous is None or AUDIENCES.index(entry.audience) < AUDIENCES.index(previous.audience)
        ):
            url = records[entry.id][-1].url
            situation, found = extract_situation(root, entry.id, entry.audience, url, entry.theme)
            situations[entry.id] = situation
            timings_of[entry.id] = found
        if count % 1000 == 0:
            log(f"  {count} fiches lues…")
    catalogue = [_merge(records[fiche_id]) for fiche_id in sorted(records, key=fiche_sort_key)]
    by_id = {entry.id: entry for entry in catalogue}
    situations = {sid: annotate(situation, by_id, fiche_texts) for sid, situation in situations.items()}
    known = set(by_id)
    dangling = {
        situation.id: sorted(set(_link_ids(situation)) - known, key=fiche_sort_key)
        for situation in sorted(situations.values(), key=lambda s: fiche_sort_key(s.id))
    }
    dangling = {situation_id: ids for situation_id, ids in dangling.items() if ids}
    warnings = [
        f"{situation_id} : {len(ids)} lien(s) vers des fiches absentes du catalogue "
        f"({', '.join(ids[:8])}{', …' if len(ids) > 8 else ''})"
        for situation_id, ids in dangling.items()
    ]
    ordered_situations = sorted(
        situations.values(), key=lambda s: (AUDIENCES.index(s.audience), fiche_sort_key(s.id))
    )
    glossary_entries = glossary.entries(known)
    meta = Meta(
        package=source.info.name,
        version=source.info.version,
        attribution=ATTRIBUTION,
        licence=LICENCE,
        counts={
            "situations": len(ordered_situations),
            "catalogue": len(catalogue),
            "glossary": len(glossary_entries),
            "index_entries": len(source.index),
            "questions": sum(len(s.questions) for s in ordered_situations),
        },
    )
    timings = sorted(
        (record for found in timings_of.values() for record in found),
        key=lambda record: (fiche_sort_key(record.fiche), record.title),
    )
    unnormalised = [record for record in timings if record.normalised is None]
    report = {
        "timing": {
            "normalised": [record.to_dict() for record in timings if record.normalised is not None],
            "unnormalised": [record.to_dict() for record in unnormalised],
        },
        "warnings": warnings,
        "missing_links": dangling,
    }
    files = {
        "meta.json": _dump({**meta.to_dict(), "files": list(FILES)}),
        "situations.json": _dump({"situations": [s.to_dict() for s in ordered_situations]}),
        "catalogue.json": _dump_entries(entry.to_dict() for entry in catalogue),
        "glossary.json": _dump_entries(entry.to_dict() for entry in glossary_entries),
        "report.json": _dump(report),
    }
    return files, BuildResult(out_dir=Path(), meta=meta, unnormalised=unnormalised, warnings=warnings)


def _link_ids(situation: Situation) -> set[str]:
    found: set[str] = set()
    stack = list(situation.content)
    while stack:
        node = stack.pop()
        found.update(link.id for link in node.links)
        stack.extend(node.children)
    return found


def write_atomically(files: dict[str, str], out_dir: Path) -> None:
    """Write ``files`` into a temporary sibling folder, then swap it with ``out_dir``."""
    if out_dir.exists() and not out_dir.is_dir():
        raise KnowledgeBaseError(f"La sortie {out_dir} existe et n'est pas un dossier")
    parent = out_dir.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-build-", dir=parent))
    try:
        for name, content in files.items():
            (staging / name).write_text(content, encoding="utf-8")
        staging.chmod(0o755)
        if out_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-old-", dir=parent))
            retired.rmdir()
            os.rename(out_dir, retired)
            try:
                os.rename(staging, out_dir)
            except OSError:
                os.rename(retired, out_dir)
                raise
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def build(source_path: Path, out_dir: Path, log: Callable[[str], None] | None = None) -> BuildResult:
    """Build the knowledge base from the package at ``source_path`` into ``out_dir``."""
    say = log or (lambda message: print(message, file=sys.stderr))
    source = PackageSource(source_path)
    say(f"Source : {source.info.name}@{source.info.version}, {len(source.index)} fiches dans l'index")
    files, result = extract(source, say)
    for record in result.unnormalised:
        say(f"Avertissement : délai non normalisé dans {record.fiche} : « {record.phrase} » ({record.title})")
    for warning in result.warnings:
        say(f"Avertissement : {warning}")
    write_atomically(files, out_dir)
    result.out_dir = out_dir
    return result
