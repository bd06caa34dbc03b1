"""Render a `bench run` report: terminal rows, markdown for a PR comment, and JSON."""

from __future__ import annotations

import math
from typing import Any

from shipyard.bench.interface import Status
from shipyard.bench.runner import Report, Verdict

ICONS = {
    Status.FAIL: "❌",
    Status.WARN: "⚠️",
    Status.IMPROVED: "🚀",
    Status.OK: "✅",
    Status.NEW: "🆕",
}


def value(x: float | None, unit: str) -> str:
    if x is None:
        return "–"
    if unit == "s":
        for scale, name in ((1, "s"), (1e-3, "ms"), (1e-6, "µs")):
            if abs(x) >= scale:
                return f"{x / scale:.3g} {name}"
        return f"{x * 1e9:.3g} ns"
    if unit == "B":
        for scale, name in ((2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
            if abs(x) >= scale:
                return f"{x / scale:.3g} {name}"
        return f"{x:.0f} B"
    return f"{x:.4g} {unit}".strip()


def ratio(v: Verdict) -> str:
    c = v.comparison
    if c.ratio is None:
        return "–"
    text = f"×{c.ratio:.3f}"
    if c.low is not None and c.high is not None:
        text += f" [{c.low:.3f}–{c.high:.3f}]"
    return text


def suggested_warn(v: Verdict) -> float | None:
    """A warn threshold the measured noise can detect, when the configured one is not."""
    found = v.comparison.detectable
    if found is None or found <= v.spec.thresholds.warn:
        return None
    return math.ceil(found * 20 - 1e-9) / 20  # the next 5 %


def noise_text(v: Verdict) -> str | None:
    suggest = suggested_warn(v)
    if suggest is None or v.comparison.detectable is None:
        return None
    limits = v.spec.thresholds
    return (
        f"too noisy for warn = {limits.warn:.0%}: at alpha {limits.alpha:g} only changes "
        f"beyond ±{v.comparison.detectable:.0%} are detectable; "
        f'set warn = "{suggest:.0%}" or reduce the noise'
    )


def verdict_text(v: Verdict) -> str:
    parts = [v.comparison.status.value]
    if v.target_missed and v.target is not None:
        sign = ">" if v.series.direction.value == "smaller" else "<"
        parts.append(f"target missed ({sign} {value(v.target, v.series.unit)})")
    if v.comparison.note:
        parts.append(v.comparison.note)
    if (noise := noise_text(v)) is not None:
        parts.append(noise)
    return "; ".join(parts)


def rows(report: Report) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            v.series.key,
            value(v.comparison.before, v.series.unit),
            value(v.comparison.after, v.series.unit),
            ratio(v),
            verdict_text(v),
        )
        for v in report.verdicts
    ]


COLUMNS = ("benchmark", "before", "after", "ratio [95% CI]", "verdict")


def summary(report: Report) -> str:
    ctx = report.context
    against = "its own previous runs" if ctx.on_base else f"the base branch {ctx.base}"
    return (
        f"{ctx.commit[:10]} on {ctx.branch or 'detached HEAD'}, machine {ctx.machine}: "
        f"compared with {against}"
    )


def worst(report: Report) -> Status:
    """The status the report as a whole deserves: a failure, else a warning, else the best."""
    found = {Status.FAIL if v.failed else v.comparison.status for v in report.verdicts}
    if report.warnings or any(noise_text(v) for v in report.verdicts):
        found.add(Status.WARN)
    order = (Status.FAIL, Status.WARN, Status.IMPROVED, Status.OK)
    return next((s for s in order if s in found), Status.OK)


HEADINGS = {
    Status.FAIL: "❌ Benchmarks regressed",
    Status.WARN: "⚠️ Benchmarks: warnings",
    Status.IMPROVED: "🚀 Benchmarks improved",
    Status.OK: "✅ Benchmarks",
}


def markdown(report: Report) -> str:
    lines = [
        f"### {HEADINGS[worst(report)]}",
        "",
        summary(report),
        "",
        *[f"> ⚠️ {w}\n" for w in report.warnings],
        "| benchmark | before | after | ratio [95% CI] | verdict |",
        "|---|---:|---:|---|---|",
    ]
    for v, row in zip(report.verdicts, rows(report), strict=True):
        icon = "❌" if v.failed else ICONS[v.comparison.status]
        cells = [c.replace("|", "\\|") for c in row]
        lines.append(f"| `{cells[0]}` | {cells[1]} | {cells[2]} | {cells[3]} | {icon} {cells[4]} |")
    return "\n".join(lines) + "\n"


def serialize(report: Report) -> dict[str, Any]:
    ctx = report.context
    return {
        "commit": ctx.commit,
        "branch": ctx.branch,
        "base": ctx.base,
        "on_base": ctx.on_base,
        "machine": ctx.machine,
        "failed": report.failed,
        "warnings": report.warnings,
        "recorded": str(report.recorded) if report.recorded else None,
        "benchmarks": [
            {
                "key": v.series.key,
                "bench": v.series.bench,
                "metric": v.series.metric,
                "unit": v.series.unit,
                "direction": v.series.direction.value,
                "status": v.comparison.status.value,
                "failed": v.failed,
                "before": v.comparison.before,
                "after": v.comparison.after,
                "ratio": v.comparison.ratio,
                "ci": [v.comparison.low, v.comparison.high],
                "p": v.comparison.p,
                "baseline_runs": v.comparison.baseline_runs,
                "samples": len(v.series.samples),
                "target": v.target,
                "target_missed": v.target_missed,
                "note": v.comparison.note,
                "detectable": v.comparison.detectable,
                "suggested_warn": suggested_warn(v),
            }
            for v in report.verdicts
        ],
    }
