"""`shipyard scan deps`: match the project's dependency sets against a local OSV database.

Everything that could not be checked (a version that does not parse, an ecosystem the database
does not cover, an unpinned requirement, a declaration without a lock that could not be resolved)
is listed in `skipped` and fails the gate unless the user allows it: a dependency that was not
checked is not a dependency that passed. A stale database fails it too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from shipyard import output, versions
from shipyard.security import osv, packages
from shipyard.security.interface import Finding, ScanResult, Skipped, fingerprint
from shipyard.security.packages import DepSet, Package


@dataclass(frozen=True)
class DepsOptions:
    db: tuple[Path, ...]
    max_age: float = 7 * 24 * 3600.0
    files: tuple[Path, ...] = ()  # explicit dependency files; default: discovered
    installed: tuple[Path, ...] = ()  # site-packages folders to read as well
    ignore: frozenset[str] = frozenset()  # advisory ids (or aliases) the user accepted
    allow_unchecked: frozenset[str] = frozenset()  # packages that may stay unchecked


def collect(root: Path, files: tuple[Path, ...], installed: tuple[Path, ...]) -> DepSet:
    """Every dependency of the project, from its lockfiles and the given environments."""
    deps = DepSet()
    found = list(files or packages.discover(root))
    for path in found:
        deps.extend(packages.read(root, path))
    if not files:  # what the project declares but does not lock, resolved now
        from shipyard.security import resolve

        deps.extend(resolve.unlocked(root, found))
    for site in installed:
        from shipyard.security import pylocks

        deps.extend(pylocks.installed(site))
    deps.packages = packages.dedupe(deps.packages)
    deps.unchecked = list(dict.fromkeys(deps.unchecked))  # a file read directly and via -r
    return deps


@dataclass
class DepsScanner:
    options: DepsOptions
    name: str = "deps"
    deps: DepSet = field(default_factory=DepSet)

    def scan(self, root: Path) -> ScanResult:
        result = ScanResult("deps")
        self.deps = collect(root, self.options.files, self.options.installed)
        if not self.deps.packages and not self.deps.unchecked:
            result.warnings.append(f"no dependency files found in {root}")
            return result
        db = osv.load(self.options.db)
        stale = staleness(db.newest, time.time(), self.options.max_age)
        if stale:
            result.blocking.append(stale)
        allowed = self.options.allow_unchecked
        result.skipped += [
            Skipped(s.what, s.reason, _package(s.what) in allowed) for s in self.deps.unchecked
        ]
        for package in output.track(
            self.deps.packages, len(self.deps.packages), "deps", "packages"
        ):
            self._check(db, package, result)
        result.stats.update(packages=len(self.deps.packages), advisories=db.records)
        return result

    def _check(self, db: osv.Database, package: Package, result: ScanResult) -> None:
        what = f"{package.name} {package.version} ({package.source})"
        allowed = package.name in self.options.allow_unchecked
        if package.ecosystem not in db.ecosystems:
            reason = f"the database has no {package.ecosystem} advisories"
            result.skipped.append(Skipped(what, reason, allowed))
            return
        for record in db.lookup(package.ecosystem, package.name):
            try:
                fixed = osv.affects(record, package.ecosystem, package.name, package.version)
            except versions.BadVersion as exc:
                rule = "PEP 440" if package.ecosystem == "PyPI" else "SemVer"
                reason = f"version {exc} does not parse as {rule}"
                result.skipped.append(Skipped(what, reason, allowed))
                return
            if fixed is None:
                continue
            if self.options.ignore & {record["id"], *record.get("aliases", [])}:
                result.suppressed += 1
                continue
            result.findings.append(_finding(record, package, fixed))


def _finding(record: osv.Record, package: Package, fixed: list[str]) -> Finding:
    severity, origin = osv.severity(record)
    summary = str(record.get("summary") or record.get("details") or "").strip()
    summary = summary.splitlines()[0][:120] if summary else "known vulnerability"
    fix = f"fixed in {', '.join(sorted(set(fixed)))}" if fixed else "no fixed version"
    aliases = ", ".join(record.get("aliases") or [])
    return Finding(
        scanner="deps",
        rule=str(record["id"]),
        severity=severity,
        message=f"{package.name} {package.version}: {summary} ({fix})",
        file=package.source,
        fingerprint=fingerprint(
            "dep", record["id"], package.ecosystem, package.name, package.version
        ),
        detail={
            "package": package.name,
            "version": package.version,
            "ecosystem": package.ecosystem,
            "fixed": ", ".join(fixed),
            "aliases": aliases,
            "severity_source": origin,
        },
    )


def staleness(newest: float, now: float, max_age: float) -> str | None:
    """Why the database is too old to trust (judged by its newest record), or None."""
    if newest <= 0:
        return (
            "the advisory database has no record with a `modified` date, so its age is "
            "unknown; run `shipyard scan db update`"
        )
    age = now - newest
    if age <= max_age:
        return None
    day = datetime.fromtimestamp(newest, UTC).strftime("%Y-%m-%d")
    return (
        f"the advisory database is stale: its newest record is from {day}, {_days(age)} ago "
        f"(limit {_days(max_age)}, [scan.deps] max-age); run `shipyard scan db update`"
    )


def _package(what: str) -> str:
    return what.split(" ", 1)[0]


def _days(seconds: float) -> str:
    return f"{seconds / 86400:.1f} days"
