"""SARIF 2.1.0 for security findings, as GitHub code scanning reads it.

One run per scanner, every rule described once, locations relative to the repository root
(`%SRCROOT%`), and `partialFingerprints` carrying shipyard's content fingerprint, so a finding
that moves to another line keeps its identity and code scanning de-duplicates it across runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shipyard import __version__
from shipyard.security.interface import Finding, ScanResult, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/shipyard/shipyard"
FINGERPRINT_KEY = "shipyard/v1"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MODERATE: "warning",
    Severity.UNKNOWN: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub orders security results by this property (a CVSS-like number as a string)
_SCORE = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MODERATE: "5.5",
    Severity.UNKNOWN: "5.0",
    Severity.LOW: "2.0",
    Severity.INFO: "0.0",
}


def document(results: Sequence[ScanResult]) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [_run(r) for r in results],
    }


def _run(result: ScanResult) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    for f in result.findings:
        rules.setdefault(f.rule, _rule(f))
    index = {rule: i for i, rule in enumerate(rules)}
    return {
        "tool": {
            "driver": {
                "name": f"shipyard-{result.scanner}",
                "version": __version__,
                "informationUri": INFO_URI,
                "rules": list(rules.values()),
            }
        },
        "automationDetails": {"id": f"shipyard/{result.scanner}/"},
        "invocations": [_invocation(result)],
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the repository root"}}},
        "results": [_result(f, index[f.rule]) for f in result.findings],
    }


def _invocation(result: ScanResult) -> dict[str, Any]:
    """Anything not checked (an unread file, an unchecked dependency, no analyzer run) makes
    the run unsuccessful and is listed as a notification: 0 results must mean 0 problems."""
    notes = [{"level": "error", "message": {"text": result.error}}] if result.error else []
    notes += [{"level": "error", "message": {"text": b}} for b in result.blocking]
    unchecked = [s for s in result.skipped if not s.allowed]
    notes += [_not_checked(s.what, s.reason, "error") for s in unchecked]
    notes += [_not_checked(s.what, s.reason, "note") for s in result.skipped if s.allowed]
    notes += [{"level": "warning", "message": {"text": w}} for w in result.warnings]
    ok = result.error is None and not result.blocking and not unchecked
    return {"executionSuccessful": ok, "toolExecutionNotifications": notes}


def _not_checked(what: str, reason: str, level: str) -> dict[str, Any]:
    return {
        "level": level,
        "message": {"text": f"not checked: {what}: {reason}"},
        "descriptor": {"id": "not-checked"},
    }


def _rule(f: Finding) -> dict[str, Any]:
    text = f.message.split(": ", 1)[0] if f.scanner == "secrets" else f.rule
    return {
        "id": f.rule,
        "name": f.rule,
        "shortDescription": {"text": text},
        "defaultConfiguration": {"level": _LEVEL[f.severity]},
        "properties": {
            "tags": ["security", f.scanner],
            "security-severity": _SCORE[f.severity],
        },
    }


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"severity": f.severity.label},
    }
    if f.file and not f.file.startswith("/"):  # outside the repository: no location to show
        region = {"region": {"startLine": f.line}} if f.line else {}
        out["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": f.file, "uriBaseId": "%SRCROOT%"},
                    **region,
                }
            }
        ]
    if f.commit:
        out["properties"]["commit"] = f.commit
    return out
