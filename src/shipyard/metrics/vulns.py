"""Open vulnerabilities of a dependency tree, from the security family's local OSV database.

The one reader of advisories is `security.osv`; this module only asks it which records affect
which package, keeping each advisory's publication time so a KPI can say what was already open
at the start of a period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from shipyard import versions
from shipyard.security import osv
from shipyard.security.interface import Severity
from shipyard.security.packages import Package


@dataclass(frozen=True)
class OpenAdvisory:
    id: str
    package: str
    version: str
    severity: Severity
    published: float | None  # seconds since the epoch, when the record says
    summary: str
    fixed: tuple[str, ...]


@dataclass(frozen=True)
class Exposure:
    advisories: tuple[OpenAdvisory, ...]
    database_age: float  # seconds since the newest database file was written
    packages: int

    def count(self, at_least: Severity = Severity.CRITICAL, before: float | None = None) -> int:
        """Advisories of at least this severity (published before `before`, when given)."""
        return sum(
            1
            for a in self.advisories
            if a.severity >= at_least
            and (before is None or (a.published is not None and a.published < before))
        )


def exposure(db_paths: Sequence[Path], packages: Sequence[Package], now: float) -> Exposure:
    """Every advisory affecting these packages (raises ScanError when the database is missing)."""
    db = osv.load(db_paths)
    found: list[OpenAdvisory] = []
    for package in packages:
        for record in db.lookup(package.ecosystem, package.name):
            try:
                fixed = osv.affects(record, package.ecosystem, package.name, package.version)
            except versions.BadVersion:
                continue
            if fixed is not None:
                found.append(_advisory(record, package, fixed))
    return Exposure(tuple(found), max(now - db.newest, 0.0), len(packages))


def _advisory(record: osv.Record, package: Package, fixed: list[str]) -> OpenAdvisory:
    severity, _ = osv.severity(record)
    summary = str(record.get("summary") or record.get("details") or "").strip()
    return OpenAdvisory(
        str(record["id"]),
        package.name,
        package.version,
        severity,
        _time(record.get("published")),
        summary.splitlines()[0][:120] if summary else "known vulnerability",
        tuple(sorted(set(fixed))),
    )


def _time(text: object) -> float | None:
    if not isinstance(text, str):
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
