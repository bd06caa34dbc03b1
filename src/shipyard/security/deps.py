"""`shipyard scan deps`: match the project's dependency sets against a local OSV database.

Everything that could not be checked (a version that does not parse, an ecosystem the database
does not cover, an unpinned requirement) is listed in `skipped` and fails the gate unless the
user allows it: a dependency that was not checked is not a dependency that passed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from shipyard import versions
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


def collect(root: Path, files: tuple[Path, ...], installed: tuple[Path, ...]) -> DepSet:
    """Every dependency of the project, from its lockfiles and the given environments."""
    deps = DepSet()
    for path in files or tuple(packages.discover(root)):
        deps.extend(packages.read(root, path))
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
        age = time.time() - db.newest
        if age > self.options.max_age:
            result.warnings.append(
                f"the advisory database is {_days(age)} old (limit "
                f"{_days(self.options.max_age)}); run `shipyard scan db update`"
            )
        result.skipped += self.deps.unchecked
        for package in self.deps.packages:
            self._check(db, package, result)
        result.stats.update(packages=len(self.deps.packages), advisories=db.records)
        return result

    def _check(self, db: osv.Database, package: Package, result: ScanResult) -> None:
        what = f"{package.name} {package.version} ({package.source})"
        if package.ecosystem not in db.ecosystems:
            result.skipped.append(
                Skipped(what, f"the database has no {package.ecosystem} advisories")
            )
            return
        for record in db.lookup(package.ecosystem, package.name):
            try:
                fixed = osv.affects(record, package.ecosystem, package.name, package.version)
            except versions.BadVersion as exc:
                rule = "PEP 440" if package.ecosystem == "PyPI" else "SemVer"
                result.skipped.append(Skipped(what, f"version {exc} does not parse as {rule}"))
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


def _days(seconds: float) -> str:
    return f"{seconds / 86400:.1f} days"
