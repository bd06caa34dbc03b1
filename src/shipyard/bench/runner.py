"""`bench run`: measure, compare with the pooled baseline, re-measure flags, record the run."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from shipyard.bench import calibrate, history, level, machine
from shipyard.bench.interface import BenchError, BenchSpec, Direction, Series, Status
from shipyard.bench.measure import collect
from shipyard.bench.results import Run, write
from shipyard.bench.settings import Settings
from shipyard.bench.verdict import Comparison, compare, settle
from shipyard.errors import UsageError
from shipyard.git import Repo

JUDGED = ("wall", "peak_rss", "value")  # user and sys time are recorded, not judged


@dataclass(frozen=True)
class Verdict:
    spec: BenchSpec
    series: Series
    comparison: Comparison
    target: float | None = None

    @property
    def target_missed(self) -> bool:
        if self.target is None:
            return False
        after = self.comparison.after
        smaller = self.series.direction is Direction.SMALLER
        return after > self.target if smaller else after < self.target

    @property
    def failed(self) -> bool:
        return self.comparison.status is Status.FAIL or self.target_missed


@dataclass(frozen=True)
class Context:
    repo: Repo
    commit: str
    branch: str | None
    base: str
    on_base: bool
    machine: str
    baseline_ref: str


@dataclass
class Report:
    context: Context
    verdicts: list[Verdict] = field(default_factory=list)
    recorded: Path | None = None
    warnings: list[str] = field(default_factory=list)  # about the history, not one benchmark

    @property
    def failed(self) -> bool:
        return any(v.failed for v in self.verdicts)


def context(root: Path, settings: Settings, base: str | None) -> Context:
    repo = Repo.find(root)
    if repo is None:
        raise UsageError(
            f"{root} is not in a git repository",
            hint="benchmark results are kept in git: run `git init` first",
        )
    commit = repo.head()
    if commit is None:
        raise UsageError("the repository has no commit yet", hint="commit once, then run again")
    branch = repo.branch() or os.environ.get("GITHUB_REF_NAME")
    base = base or settings.base
    # on the base branch (by name, as origin/NAME, or at its tip) a run compares with its own
    # previous runs; so does a repository without the base branch
    on_base = (
        branch in (base, base.split("/", 1)[-1])
        or not repo.rev_exists(base)
        or repo.require_rev(base) == commit
    )
    return Context(
        repo,
        commit,
        branch,
        base,
        on_base,
        machine.fingerprint(settings.machine),
        "HEAD" if on_base else base,
    )


def _target(spec: BenchSpec, series: Series) -> float | None:
    key = "peak_rss" if series.metric == "peak_rss" else "wall"
    return spec.targets.get(key)


def _judge(
    spec: BenchSpec, series: Series, baseline: list[Run], settings: Settings, ctx: Context
) -> Comparison:
    jobs = history.jobs(baseline, series.key)
    result = compare(jobs, series.samples, spec.thresholds, series.direction, settings.pool)
    if result.status is Status.NEW:
        return Comparison(
            Status.NEW,
            result.after,
            note=(
                f"not in the baseline: no run of {series.key!r} on machine {ctx.machine} "
                f"along {ctx.baseline_ref} yet"
            ),
        )
    return result


def _measure_spec(spec: BenchSpec, root: Path) -> list[Series]:
    found = collect(spec, root)
    for s in found:
        if not s.samples:
            raise BenchError(
                f"benchmark {spec.name!r}: {s.key} has no samples",
                hint="check that the benchmark ran and wrote its results",
            )
    return found


def bench_spec(
    spec: BenchSpec, root: Path, baseline: list[Run], settings: Settings, ctx: Context
) -> tuple[list[Series], list[Verdict]]:
    """Measure one benchmark and judge its series, re-measuring before reporting a flag."""
    found = _measure_spec(spec, root)
    verdicts = {
        s.key: _judge(spec, s, baseline, settings, ctx) for s in found if s.metric in JUDGED
    }
    can_repeat = not spec.imported or spec.command is not None
    need = settings.remeasure if can_repeat else 0
    first = dict(verdicts)
    pending: dict[str, list[Comparison]] = {
        k: [] for k, c in verdicts.items() if c.status.flagged and need
    }
    for _ in range(2 * need - 1):  # best `need` of `2 * need - 1` re-measurements
        if not pending:
            break
        again = {s.key: s for s in _measure_spec(spec, root)}
        for key in list(pending):
            if key not in again:
                del pending[key]
                continue
            pending[key].append(_judge(spec, again[key], baseline, settings, ctx))
            decided = settle(first[key], pending[key], need, spec.thresholds.alpha)
            if decided is not None:
                verdicts[key] = decided
                del pending[key]
    return found, [
        Verdict(spec, s, verdicts[s.key], _target(spec, s)) for s in found if s.key in verdicts
    ]


def run(
    root: Path,
    settings: Settings,
    names: Sequence[str] = (),
    base: str | None = None,
    record: bool = True,
) -> Report:
    specs = select(settings, names)
    ctx = context(root, settings, base)
    source = history.RunSource(
        ctx.repo, root / settings.results / ctx.machine, None if ctx.on_base else ctx.base
    )
    baseline = source.runs_along(ctx.baseline_ref, settings.history)
    if ctx.on_base:  # a re-run is judged against the runs before its commit, never its own
        baseline = [r for r in baseline if r.commit != ctx.commit]  # (retrying must not accept)
    report = Report(ctx)
    if (foreign := source.foreign_warning()) is not None:
        report.warnings.append(foreign)
    recorded = [calibrate.measure_machine(root)] if settings.calibrate else []
    for spec in specs:
        found, verdicts = bench_spec(spec, root, baseline, settings, ctx)
        recorded += found
        report.verdicts += verdicts
    if settings.calibrate:
        report.verdicts = _calibrated(report.verdicts, recorded[0], root, baseline, settings)
    if ctx.on_base:
        report.verdicts = _steps(report.verdicts, baseline)
    if record:
        now = dt.datetime.now(dt.UTC)
        run_ = Run(
            ctx.commit,
            ctx.branch,
            now.isoformat(timespec="seconds"),
            ctx.machine,
            tuple(recorded),
            {v.series.key: v.comparison.status.value for v in report.verdicts},
            base=ctx.on_base,
            machine_info=machine.describe(),
        )
        report.recorded = write(root / settings.results, run_, now)
    return report


def _calibrated(
    verdicts: list[Verdict], start: Series, root: Path, baseline: list[Run], settings: Settings
) -> list[Verdict]:
    """Withdraw timing flags that a measurably slow or fast machine explains (calibrate.py)."""
    suspects = [
        v for v in verdicts if v.comparison.status.flagged and calibrate.is_timing(v.series)
    ]
    if not suspects:
        return verdicts
    jobs = history.jobs(baseline, calibrate.KEY)
    factor = calibrate.factor(jobs, start.samples, settings.pool)
    if factor is not None:  # slow (or fast) when the run started; still so now?
        again = calibrate.factor(jobs, calibrate.measure_machine(root).samples, settings.pool)
        factor = calibrate.agreed(factor, again)
    if factor is None:
        return verdicts
    return [
        replace(
            v,
            comparison=calibrate.relative(
                v.comparison,
                history.jobs(baseline, v.series.key),
                v.series.samples,
                v.spec.thresholds,
                v.series.direction,
                settings.pool,
                factor,
            ),
        )
        if v in suspects and calibrate.explains(v.comparison.status, v.series.direction, factor)
        else v
        for v in verdicts
    ]


def _steps(verdicts: list[Verdict], baseline: list[Run]) -> list[Verdict]:
    """On the base branch: report a persistent step that no single commit was flagged for."""
    out = []
    for v in verdicts:
        step = None
        if v.comparison.status is Status.OK:
            jobs = history.jobs(baseline, v.series.key)
            step = level.absorbed(jobs, v.comparison.after, v.spec.thresholds, v.series.direction)
        out.append(v if step is None else replace(v, comparison=as_comparison(step, v.comparison)))
    return out


def as_comparison(step: level.Step, was: Comparison) -> Comparison:
    return replace(
        was,
        status=step.status,
        before=step.before,
        ratio=step.ratio,
        low=None,
        high=None,
        note=step.note(),
    )


def select(settings: Settings, names: Sequence[str]) -> list[BenchSpec]:
    if not settings.benches:
        raise UsageError(
            "no benchmarks defined",
            hint='add a [bench.NAME] table with command = "..." (see docs/benchmarking.md)',
        )
    known = {s.name: s for s in settings.benches}
    for name in names:
        if name not in known:
            raise UsageError(f"no benchmark named {name!r} (benchmarks: {', '.join(known)})")
    return [known[n] for n in names] if names else list(settings.benches)
