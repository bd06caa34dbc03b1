"""The explicit registry of scanners, and the typed request the command builds for them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shipyard.errors import ShipyardError
from shipyard.security.interface import Scanner, ScanResult
from shipyard.security.settings import Settings


@dataclass(frozen=True)
class ScanRequest:
    """What one `shipyard scan` invocation asks for, after the CLI and the settings are merged."""

    root: Path
    settings: Settings = field(default_factory=Settings)
    mode: str = "tree"  # secrets: "tree", "staged" or "history"
    rule_files: tuple[Path, ...] = ()
    baseline: Path | None = None
    db: tuple[Path, ...] = ()
    dep_files: tuple[Path, ...] = ()
    installed: tuple[Path, ...] = ()
    jobs: int = 0


def _secrets(req: ScanRequest) -> Scanner:
    from shipyard.security.secrets import SecretOptions, SecretsScanner

    s = req.settings
    return SecretsScanner(
        SecretOptions(
            mode=req.mode,
            rule_files=(*s.rule_files, *req.rule_files),
            baseline=req.baseline or s.baseline,
            exclude=s.exclude,
            max_size=s.max_file_size,
            jobs=req.jobs,
        )
    )


def _deps(req: ScanRequest) -> Scanner:
    from shipyard.security.deps import DepsOptions, DepsScanner

    s = req.settings
    return DepsScanner(
        DepsOptions(
            req.db or s.db,
            s.max_age,
            req.dep_files,
            req.installed,
            s.ignore,
            allow_unchecked=s.allow_unchecked,
        )
    )


def _code(req: ScanRequest) -> Scanner:
    from shipyard.security.code import CodeScanner

    return CodeScanner(req.settings.semgrep_config)


def _licenses(req: ScanRequest) -> Scanner:
    from shipyard.security.licenses import LicenseScanner

    s = req.settings
    return LicenseScanner(s.license_allow, s.license_deny, req.dep_files, req.installed)


SCANNERS: dict[str, Callable[[ScanRequest], Scanner]] = {
    "secrets": _secrets,
    "deps": _deps,
    "code": _code,
    "licenses": _licenses,
}


def run(names: Sequence[str], request: ScanRequest) -> list[ScanResult]:
    """Run each scanner. One scanner's bad input raises; in a run of several it becomes that
    scanner's `error`, so the others still report (the command then exits 2)."""
    if len(names) == 1:
        return [SCANNERS[names[0]](request).scan(request.root)]
    results = []
    for name in names:
        try:
            results.append(SCANNERS[name](request).scan(request.root))
        except ShipyardError as exc:
            hint = f" (hint: {exc.hint})" if exc.hint else ""
            results.append(ScanResult(name, error=exc.message + hint))
    return results
