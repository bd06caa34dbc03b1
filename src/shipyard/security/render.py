"""One report for every scanner: a terminal table, JSON, or SARIF (formats/sarif.py).

Findings are already redacted by the scanners; nothing here ever sees a secret.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shipyard import output
from shipyard.security.gates import Verdict
from shipyard.security.interface import ScanResult

FORMATS = ("table", "json", "sarif")


def serialize(results: Sequence[ScanResult], verdicts: Sequence[Verdict]) -> dict[str, Any]:
    by_name = {v.scanner: v for v in verdicts}
    return {
        "passed": all(v.passed for v in verdicts),
        "scanners": [
            {
                "scanner": r.scanner,
                "passed": by_name[r.scanner].passed,
                "reasons": list(by_name[r.scanner].reasons),
                "findings": [f.serialize() for f in r.findings],
                "error": r.error,
                "skipped": [
                    {"what": s.what, "reason": s.reason, "allowed": s.allowed} for s in r.skipped
                ],
                "blocking": r.blocking,
                "suppressed": r.suppressed,
                "warnings": r.warnings,
                "stats": r.stats,
            }
            for r in results
        ],
    }


def emit(
    results: Sequence[ScanResult], verdicts: Sequence[Verdict], fmt: str, dest: Path | None
) -> None:
    """Print (or write to `dest`) the report in `fmt`; the table always goes to the terminal."""
    for r in results:
        for warning in r.warnings:
            output.err(f"warning: {r.scanner}: {warning}")
    if fmt != "table":
        document: Any
        if fmt == "sarif":
            from shipyard.formats import sarif

            document = sarif.document(results)
        else:
            document = serialize(results, verdicts)
        if fmt == "json":
            document = output.versioned(document)
        if dest is None:  # SARIF is printed as its schema says, with no field of ours
            output.out(json.dumps(document, indent=2, default=str))
            return
        from shipyard.store import write_atomic

        write_atomic(dest, output.safe(json.dumps(document, indent=2)) + "\n")  # no credentials
    _table(results, verdicts)
    if dest is not None and fmt != "table":
        output.out(f"wrote {fmt} report to {dest}")


def _table(results: Sequence[ScanResult], verdicts: Sequence[Verdict]) -> None:
    rows = [
        (f.scanner, f.severity.label, f.rule, _where(f.file, f.line, f.commit), f.message)
        for r in results
        for f in sorted(r.findings, key=lambda f: (-f.severity, f.file or "", f.line or 0))
    ]
    if rows:
        output.table(("scanner", "severity", "rule", "where", "finding"), rows)
        output.out()
    for r in results:
        _skipped(r)
    for v, r in zip(verdicts, results, strict=True):
        status = "ERROR" if r.error else "passed" if v.passed else "FAILED"
        extra = f"; {r.suppressed} suppressed" if r.suppressed else ""
        why = f": {'; '.join(v.reasons)}" if v.reasons else ""
        output.out(f"{r.scanner}: {status} ({len(r.findings)} finding(s){extra}){why}")


def _skipped(r: ScanResult) -> None:
    if not r.skipped:
        return
    if r.scanner == "deps":  # each unchecked dependency matters: list them all
        output.out("deps: not checked:")
        for s in r.skipped:
            output.out(f"  {s.what}: {s.reason}")
        return
    counts = Counter(s.reason for s in r.skipped)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    summary = ", ".join(f"{n} {reason}" for reason, n in ordered)
    output.out(f"{r.scanner}: skipped {len(r.skipped)} ({summary})")


def _where(file: str | None, line: int | None, commit: str | None) -> str:
    text = f"{file}:{line}" if file and line else file or ""
    return f"{commit[:10]} {text}" if commit else text
