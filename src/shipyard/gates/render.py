"""Gate results as text: the terminal table, JSON, markdown, JUnit and GitHub annotations.

Figures are formatted by unit ("82.35 %", "4.20 MB", "1m05s"); the change column is the
difference from the last main-branch run, signed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from shipyard.config import format_duration
from shipyard.formats import junit, markdown
from shipyard.gates.interface import Finding, GateResult, GateStatus

if TYPE_CHECKING:
    from shipyard.gates.evaluate import Evaluation

COLUMNS = ("gate", "threshold", "actual", "change", "result")
_MARK = {GateStatus.PASSED: "pass", GateStatus.FAILED: "FAIL", GateStatus.SKIPPED: "skip"}


def figure(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "%":
        return f"{value:.2f} %"
    if unit == "seconds":
        return format_duration(value)
    if unit == "bytes":
        for size, name in ((1e6, "MB"), (1e3, "kB")):
            if abs(value) >= size:
                return f"{value / size:.2f} {name}"
        return f"{value:.0f} B"
    return f"{value:.0f}"


def change(result: GateResult) -> str:
    if result.change is None:
        return ""
    text = figure(abs(result.change), result.unit)
    return ("+" if result.change >= 0 else "-") + text


def row(result: GateResult) -> list[str]:
    threshold = (
        "baseline (none yet)"
        if result.threshold is None
        else f"{result.op} {figure(result.threshold, result.unit)}"
    )
    actual = figure(result.actual, result.unit)
    if result.detail:
        actual += f": {result.detail}" if result.actual is None else f" ({result.detail})"
    return [result.gate, threshold, actual, change(result), _MARK[result.status]]


def verdict(ev: Evaluation) -> str:
    failed = [r.gate for r in ev.results if r.status == GateStatus.FAILED]
    if not failed and not ev.stale_failed:
        return "quality gates passed"
    what = ", ".join(failed) + (", stale reports" if ev.stale_failed else "")
    return f"quality gates failed: {what.lstrip(', ')}"


def as_json(ev: Evaluation) -> str:
    from shipyard import output

    return json.dumps(output.versioned(ev.serialize()), indent=2)


def as_markdown(ev: Evaluation) -> str:
    icon = "✅" if ev.passed else "❌"
    text = markdown.heading(f"{icon} Quality gates: {'passed' if ev.passed else 'failed'}")
    text += "\n" + markdown.table(COLUMNS, [row(r) for r in ev.results], align="llrrc")
    for warning in ev.warnings():
        text += f"\n> ⚠️ {markdown.escape(warning)}\n"
    if ev.changed is not None and ev.changed.missing:
        lines = [f"- `{f}`: {', '.join(map(str, nums))}" for f, nums in ev.changed.missing.items()]
        text += "\n" + markdown.details("Changed lines not covered", "\n".join(lines))
    return text


def as_junit(ev: Evaluation) -> str:
    cases = [
        junit.Case(
            name=r.gate,
            classname="shipyard.gates",
            failure=f"{r.gate}: {row(r)[2]}, expected {row(r)[1]}"
            if r.status == GateStatus.FAILED
            else None,
            skipped=r.detail or "no report" if r.status == GateStatus.SKIPPED else None,
        )
        for r in ev.results
    ]
    return junit.render("quality gates", cases)


def workflow_commands(findings: list[Finding], limit: int = 100) -> list[str]:
    """GitHub Actions workflow commands: one `::error file=…,line=…::` per finding."""
    lines = []
    for f in findings[:limit]:
        level = "error" if f.severity == "error" else "warning"
        message = f"{f.message} [{f.code}]".replace("%", "%25").replace("\n", "%0A")
        lines.append(
            f"::{level} file={_prop(f.file)},line={f.line},col={f.column},"
            f"title={_prop(f.code)}::{message}"
        )
    return lines


def _prop(text: str) -> str:
    return (
        text.replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(":", "%3A")
        .replace(",", "%2C")
    )
