"""The security gates: which findings and unchecked items fail `shipyard scan` (pure logic).

Defaults (settings.py) are the plan's checklist: any secret, any file the secrets scanner could
not read (unless the definition excludes it or set a size limit), a vulnerable dependency at or
above the configured severity (an advisory without a severity counts as `unknown-severity`), any
dependency that could not be checked and is not allowed, a code finding at or above its
threshold, any denied licence; and what a scanner reports as blocking by itself (no analyzer
ran, a stale advisory database).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shipyard.security.interface import Finding, ScanResult, Severity
from shipyard.security.settings import Settings


@dataclass(frozen=True)
class Verdict:
    scanner: str
    passed: bool
    reasons: tuple[str, ...]


def failing(finding: Finding, settings: Settings) -> bool:
    if finding.scanner == "secrets":
        return True
    if finding.scanner == "deps":
        severity = finding.severity
        if severity is Severity.UNKNOWN:
            severity = settings.unknown_severity
        return severity >= settings.deps_fail_on
    if finding.scanner == "code":
        return finding.severity >= settings.code_fail_on
    if finding.scanner == "licenses":
        return finding.rule == "license-denied" or (
            finding.rule == "license-unknown" and settings.fail_on_unknown_license
        )
    return False


def evaluate(result: ScanResult, settings: Settings) -> Verdict:
    if result.error is not None:
        return Verdict(result.scanner, False, (f"could not run: {result.error}",))
    reasons: list[str] = list(result.blocking)
    bad = [f for f in result.findings if failing(f, settings)]
    if bad:
        reasons.append(f"{len(bad)} finding(s) at or above the gate")
    if result.scanner == "secrets":
        unread = [s for s in result.skipped if not s.allowed]
        if unread:
            reasons.append(
                f"{len(unread)} file(s) could not be scanned (exclude them with "
                "[scan.secrets] exclude, or fix what the report says)"
            )
    if result.scanner == "deps":
        unchecked = [
            s
            for s in result.skipped
            if not s.allowed and _package(s.what) not in settings.allow_unchecked
        ]
        if unchecked:
            reasons.append(
                f"{len(unchecked)} dependency(ies) could not be checked "
                "(allow them with [scan.deps] allow-unchecked)"
            )
    return Verdict(result.scanner, not reasons, tuple(reasons))


def evaluate_all(results: Sequence[ScanResult], settings: Settings) -> list[Verdict]:
    return [evaluate(r, settings) for r in results]


def _package(what: str) -> str:
    return what.split(" ", 1)[0]
