"""Gate evaluation as pure logic: report data in, one `GateResult` per enabled gate out.

`measure` turns the reports into one figure per gate (or a reason there is none); `judge`
compares each figure with its threshold and with the last main-branch value. No I/O here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from shipyard.gates.diffcov import ChangedCoverage
from shipyard.gates.interface import (
    DIMENSIONS,
    Bundle,
    Count,
    Coverage,
    Findings,
    GateResult,
    GateStatus,
    SuiteTotals,
    Unformatted,
)
from shipyard.gates.settings import BASELINE, SPECS, GateConfig


@dataclass
class Inputs:
    """Everything read for one evaluation; a kind left empty had no report."""

    coverage: list[Coverage] = field(default_factory=list)
    junit: list[SuiteTotals] = field(default_factory=list)
    lint: list[Findings] = field(default_factory=list)
    typecheck: list[Findings] = field(default_factory=list)
    format: list[Unformatted] = field(default_factory=list)
    bundle: list[Bundle] = field(default_factory=list)
    changed: ChangedCoverage | str | None = None  # a str says why it was not measured
    build_time: float | None = None


Measure = tuple[float | None, str]  # (figure, detail); None: nothing to measure, and why


def measure(inputs: Inputs) -> dict[str, Measure]:
    found: dict[str, Measure] = {}
    if inputs.coverage:
        for dim in DIMENSIONS:
            counts = [c.totals[dim] for c in inputs.coverage if dim in c.totals]
            total = sum(counts, Count(0, 0))
            if not counts:
                found[f"coverage.{dim}"] = (None, "not in these report formats")
            else:
                found[f"coverage.{dim}"] = (total.percent, f"{total.covered}/{total.total}")
        found["coverage.changed_lines"] = _changed(inputs.changed)
    if inputs.junit:
        failed = sum(t.failures + t.errors for t in inputs.junit)
        found["tests.failures"] = (float(failed), f"{sum(t.tests for t in inputs.junit)} tests")
        found["tests.time"] = (sum(t.time for t in inputs.junit), "")
    if inputs.lint:
        found["lint.errors"] = (float(sum(f.count("error") for f in inputs.lint)), "")
        found["lint.warnings"] = (float(sum(f.count("warning") for f in inputs.lint)), "")
    if inputs.typecheck:
        found["typecheck.errors"] = (float(sum(f.count("error") for f in inputs.typecheck)), "")
    if inputs.format:
        found["format.files"] = (float(sum(u.count for u in inputs.format)), "")
    if inputs.bundle:
        largest = max(inputs.bundle, key=lambda b: b.largest)
        found["bundle.total"] = (float(sum(b.total for b in inputs.bundle)), "")
        found["bundle.largest"] = (float(largest.largest), largest.largest_file)
        found["bundle.gzip"] = (float(sum(b.gzip for b in inputs.bundle)), "")
    if inputs.build_time is not None:
        found["build.time"] = (inputs.build_time, "")
    return found


def _changed(changed: ChangedCoverage | str | None) -> Measure:
    if changed is None or isinstance(changed, str):
        return None, changed or "not measured"
    if changed.percent is None:
        return None, f"no changed line has coverage data, against {changed.base[:12]}"
    return changed.percent, f"{changed.measured - changed.uncovered}/{changed.measured} lines"


def judge(
    cfg: GateConfig, found: Mapping[str, Measure], baseline: Mapping[str, float]
) -> list[GateResult]:
    results = []
    for spec in SPECS:
        if spec.gate not in cfg.thresholds:
            continue
        configured = cfg.thresholds[spec.gate]
        missing = (
            "no build stage in a recorded run" if spec.kind == "run" else f"no {spec.kind} report"
        )
        actual, detail = found.get(spec.gate, (None, missing))
        before = baseline.get(spec.gate)
        threshold = before if configured == BASELINE else float(configured)
        if configured == BASELINE and before is None and actual is not None:
            detail = "no main-branch run recorded yet"
        result = GateResult(spec.gate, spec.op, threshold, actual, spec.unit, GateStatus.SKIPPED)
        result.detail = detail
        if actual is not None and before is not None:
            result.change = actual - before
        if actual is not None:
            result.status = _compare(actual, spec.op, threshold)
        results.append(result)
    return results


def _compare(actual: float, op: str, threshold: float | None) -> GateStatus:
    if threshold is None:
        return GateStatus.PASSED  # a baseline gate with no baseline yet
    ok = {">=": actual >= threshold, "<=": actual <= threshold, "<": actual < threshold}[op]
    return GateStatus.PASSED if ok else GateStatus.FAILED


def passed(results: list[GateResult]) -> bool:
    return all(r.status != GateStatus.FAILED for r in results)
