"""Source `advisories`: advisories affecting the released version's dependency tree.

The released version is the newest final release tag (read by the release family's tag
reader); its dependency files (the lockfiles and requirements `shipyard scan deps` reads) are
taken from that tag's tree, not the working tree, and matched against the same local OSV
database (`[scan.deps] db`). Each affecting advisory is one alert, so a new one is sent at
once and a known one only again after `repeat`: critical for critical and high advisories (the
plan's "security vulnerabilities"), high for moderate, medium otherwise; an advisory without
a severity counts as `[scan.deps] unknown_severity` (high), as in `shipyard scan deps`. A
missing database is a high "data missing" alert; one older than `[scan.deps] max-age` a low
"stale" alert.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from shipyard.config import Table
from shipyard.git import Repo
from shipyard.monitor.interface import CheckResult, Context, data_missing
from shipyard.notify.interface import Alert, Severity
from shipyard.security.interface import Severity as Risk

MAX_FILE = 20 * 1024 * 1024
SEVERITY = {
    Risk.CRITICAL: Severity.CRITICAL,
    Risk.HIGH: Severity.CRITICAL,
    Risk.MODERATE: Severity.HIGH,
}


def released(repo: Repo, tag_pattern: str | None) -> str | None:
    """The newest final release tag reachable from HEAD, or None."""
    from shipyard.release.tags import release_tags, tag_format

    tags = [t for t in release_tags(repo, tag_format(repo, tag_pattern)) if not t.version.is_pre]
    return max(tags, key=lambda t: t.version).name if tags else None


def export_manifests(repo: Repo, ref: str, into: Path) -> int:
    """Write the dependency files of `ref`'s tree (top level and requirements/) into `into`."""
    from shipyard.security.packages import NPM_LOCKS, PY_LOCKS

    listing = repo.git("ls-tree", "-l", ref, "--", ".", "requirements/")
    count = 0
    for line in listing.splitlines():
        meta, _, path = line.partition("\t")
        kind, size = meta.split()[1], meta.split()[3]
        name = path.rsplit("/", 1)[-1]
        wanted = (
            name in (*PY_LOCKS, *NPM_LOCKS)
            or (name.startswith("pylock.") and name.endswith(".toml"))
            or (name.startswith("requirements") and name.endswith(".txt"))
            or (path.startswith("requirements/") and name.endswith(".txt"))
        )
        if kind == "blob" and wanted and size.isdigit() and int(size) <= MAX_FILE:
            target = into / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(repo.git("show", f"{ref}:{path}"))
            count += 1
    return count


@dataclass(frozen=True)
class Advisories:
    ref: str | None = None  # default: the newest release tag

    def run(self, ctx: Context) -> CheckResult:
        from shipyard.metrics import vulns
        from shipyard.security import deps, settings
        from shipyard.security.interface import ScanError

        repo = Repo.find(ctx.root)
        if repo is None:
            return CheckResult("advisories", True, "not a git repository: nothing released")
        from shipyard.release.settings import read

        pattern = read(ctx.definition.section("release")).tag_format
        ref = self.ref or released(repo, pattern)
        if ref is None:
            return CheckResult("advisories", True, "no release tag yet: nothing released to watch")
        loaded = settings.load(ctx.root)
        with tempfile.TemporaryDirectory(prefix="shipyard-released-") as tmp:
            if not export_manifests(repo, ref, Path(tmp)):
                return CheckResult("advisories", True, f"{ref} has no dependency file")
            packages = deps.collect(Path(tmp), (), ()).packages
        try:
            found = vulns.exposure(loaded.db, packages, ctx.now)
        except ScanError as exc:
            alert = Alert(Severity.HIGH, "advisories", "advisory database missing", exc.message)
            return data_missing("advisories", exc.message, alert)
        alerts = [
            Alert(
                SEVERITY.get(
                    loaded.unknown_severity if a.severity is Risk.UNKNOWN else a.severity,
                    Severity.MEDIUM,
                ),
                "advisories",
                f"{a.id} affects {a.package} {a.version} in {ref}",
                f"{a.summary} ({a.severity.label}; "
                f"fixed in {', '.join(a.fixed) or 'no release yet'})",
            )
            for a in found.advisories
        ]
        detail = f"{len(found.advisories)} advisories affect {ref} ({len(packages)} packages)"
        if found.database_age > loaded.max_age:
            days = found.database_age / 86400
            body = f"the advisory database is {days:.1f} days old; run `shipyard scan db update`"
            alerts.append(Alert(Severity.LOW, "advisories", "advisory database stale", body))
            detail += f"; stale: {body}"
        return CheckResult("advisories", not alerts, detail, tuple(alerts))


def source(t: Table) -> Advisories:
    return Advisories(t.str("ref"))
