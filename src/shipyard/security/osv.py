"""A local OSV database: the per-ecosystem `all.zip` files OSV publishes, or folders of OSV JSON.

Loading indexes every record by (ecosystem, normalised package name). A database that is
missing or holds no record is an error, never an empty result: an offline scanner that
"finds nothing" because it has no data is the most dangerous way to fail.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shipyard import versions
from shipyard.security import cvss
from shipyard.security.interface import ScanError, Severity

Record = dict[str, Any]


def normalise(ecosystem: str, name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower() if ecosystem == "PyPI" else name


@dataclass
class Database:
    index: dict[tuple[str, str], list[Record]] = field(default_factory=dict)
    ecosystems: set[str] = field(default_factory=set)
    records: int = 0
    # the newest record's `modified` (seconds since the epoch): how fresh the data is, whatever
    # the file times say (a copy, an unzip or a checkout gives old data a new mtime)
    newest: float = 0.0

    def add(self, record: Record, where: str) -> None:
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            raise ScanError(f"{where}: not an OSV record (no `id`)")
        self.records += 1
        self.newest = max(self.newest, modified(record))
        for affected in record.get("affected") or []:
            package = affected.get("package") or {}
            eco = str(package.get("ecosystem", "")).split(":")[0]
            if eco and package.get("name"):
                self.ecosystems.add(eco)
                key = (eco, normalise(eco, str(package["name"])))
                self.index.setdefault(key, []).append(record)

    def lookup(self, ecosystem: str, name: str) -> list[Record]:
        return self.index.get((ecosystem, normalise(ecosystem, name)), [])


def load(paths: Sequence[Path]) -> Database:
    db = Database()
    for path in paths:
        if not path.exists():
            raise ScanError(
                f"no advisory database at {path}",
                hint="run `shipyard scan db update`, or pass --db with an OSV all.zip or folder",
            )
        for where, text in _documents(path):
            try:
                db.add(json.loads(text), where)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise ScanError(f"{where}: not valid JSON: {exc}") from None
    if db.records == 0:
        raise ScanError(
            f"the advisory database {', '.join(map(str, paths))} holds no advisory",
            hint="an empty database would pass every dependency; run `shipyard scan db update`",
        )
    return db


def modified(record: Record) -> float:
    """The record's `modified` time (RFC 3339) as epoch seconds; 0 when absent or unreadable."""
    text = record.get("modified")
    if not isinstance(text, str):
        return 0.0
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp()


def _documents(path: Path) -> Iterator[tuple[str, bytes]]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.suffix in (".json", ".zip") and child.is_file():
                yield from _documents(child)
        return
    if path.suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if name.endswith(".json"):
                        yield f"{path}!{name}", archive.read(name)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ScanError(f"{path}: not a readable zip archive: {exc}") from None
    else:
        try:
            yield str(path), path.read_bytes()
        except OSError as exc:
            raise ScanError(f"cannot read {path}: {exc.strerror}") from None


def affects(record: Record, ecosystem: str, name: str, version: str) -> list[str] | None:
    """The fixed versions when `record` affects this version, else None (raises BadVersion)."""
    target = normalise(ecosystem, name)
    hit, fixed = False, []
    for affected in record.get("affected") or []:
        package = affected.get("package") or {}
        eco = str(package.get("ecosystem", "")).split(":")[0]
        if eco != ecosystem or normalise(eco, str(package.get("name", ""))) != target:
            continue
        if version in (affected.get("versions") or []):
            hit = True
        for rng in affected.get("ranges") or []:
            if rng.get("type") in ("ECOSYSTEM", "SEMVER"):
                events = rng.get("events") or []
                fixed += [e["fixed"] for e in events if "fixed" in e]
                hit = hit or _in_range(events, ecosystem, version)
    return fixed if hit else None


def _in_range(events: list[dict[str, str]], ecosystem: str, version: str) -> bool:
    """OSV's evaluation: walk the events in version order; the last one at or below wins."""
    current = versions.key(ecosystem, version)
    affected = False
    for event in sorted(events, key=lambda e: _event_key(e, ecosystem)):
        kind, value = next(iter(event.items()))
        if kind == "introduced" and (value == "0" or current >= versions.key(ecosystem, value)):
            affected = True
        elif kind in ("fixed", "last_affected"):
            bound = versions.key(ecosystem, value)
            # `fixed` is the first unaffected version; `last_affected` the last affected one
            if current >= bound if kind == "fixed" else current > bound:
                affected = False
    return affected


def _event_key(event: dict[str, str], ecosystem: str) -> tuple[int, Any]:
    kind, value = next(iter(event.items()))
    if kind == "introduced" and value == "0":
        return (0, None)
    return (1, versions.key(ecosystem, value))


def severity(record: Record) -> tuple[Severity, str]:
    """(severity, where it came from): a CVSS v3 vector, the database's label, or unknown."""
    for entry in record.get("severity") or []:
        if str(entry.get("type", "")).startswith("CVSS_V3"):
            score = cvss.cvss3_score(str(entry.get("score", "")))
            if score is not None:
                return cvss.rating(score), f"CVSS {score}"
    label = (record.get("database_specific") or {}).get("severity")
    parsed = Severity.parse(label) if isinstance(label, str) else None
    if parsed is not None:
        return parsed, "advisory"
    return Severity.UNKNOWN, "none given"
