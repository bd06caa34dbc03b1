"""A local OSV database: the per-ecosystem `all.zip` files OSV publishes, or folders of OSV JSON.

Loading indexes every record by (ecosystem, normalised package name). A database that is
missing or holds no record is an error, never an empty result: an offline scanner that
"finds nothing" because it has no data is the most dangerous way to fail.
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
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
        wrong = shape_problem(record)
        if wrong:
            raise ScanError(
                f"{where}: not an OSV record: {wrong}",
                hint="the advisory file is damaged or not OSV; run `shipyard scan db update`",
            )
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
                record = json.loads(text)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise ScanError(f"{where}: not valid JSON: {exc}") from None
            except RecursionError:
                raise ScanError(f"{where}: JSON nested too deeply to be an advisory") from None
            db.add(record, where)
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
                        yield f"{path}!{name}", _member(archive, path, name)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ScanError(f"{path}: not a readable zip archive: {exc}") from None
    else:
        try:
            yield str(path), path.read_bytes()
        except OSError as exc:
            raise ScanError(f"cannot read {path}: {exc.strerror}") from None


def _member(archive: zipfile.ZipFile, path: Path, name: str) -> bytes:
    """One member's bytes; a damaged member (bad CRC, truncated data) names itself."""
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ScanError(
            f"{path}!{name}: a damaged member of the advisory archive ({exc})",
            hint="download the database again: `shipyard scan db update`",
        ) from None


_EVENTS = frozenset({"introduced", "fixed", "last_affected", "limit"})


def shape_problem(record: Record) -> str | None:
    """What in `record` is not the OSV schema's shape (the parts shipyard reads), or None."""
    affected = record.get("affected") or []
    if not isinstance(affected, list):
        return "`affected` is not a list"
    for i, entry in enumerate(affected):
        where = f"affected[{i}]"
        if not isinstance(entry, dict):
            return f"`{where}` is not an object"
        if not isinstance(entry.get("package") or {}, dict):
            return f"`{where}.package` is not an object"
        found = _list_problem(entry, "versions", where, str) or _list_problem(
            entry, "ranges", where, dict
        )
        if found:
            return found
        for j, rng in enumerate(entry.get("ranges") or []):
            found = _events_problem(rng, f"{where}.ranges[{j}]")
            if found:
                return found
    severities = record.get("severity") or []
    if not isinstance(severities, list) or not all(isinstance(e, dict) for e in severities):
        return "`severity` is not a list of objects"
    if not isinstance(record.get("database_specific") or {}, dict):
        return "`database_specific` is not an object"
    return None


def _list_problem(entry: dict[str, Any], key: str, where: str, kind: type) -> str | None:
    value = entry.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, kind) for v in value):
        what = "strings" if kind is str else "objects"
        return f"`{where}.{key}` is not a list of {what}"
    return None


def _events_problem(rng: dict[str, Any], where: str) -> str | None:
    events = rng.get("events") or []
    if not isinstance(events, list):
        return f"`{where}.events` is not a list"
    for k, event in enumerate(events):
        if (
            not isinstance(event, dict)
            or len(event) != 1
            or not set(event) <= _EVENTS
            or not all(isinstance(v, str) for v in event.values())
        ):
            return (
                f"`{where}.events[{k}]` is not one of introduced, fixed, last_affected or "
                "limit with a version string"
            )
    return None


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
