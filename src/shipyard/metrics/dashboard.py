"""What `shipyard report --html` shows, gathered from the families that own it: the KPIs and
DORA metrics (collect.py), the gates history, the benchmark history in git, and the open
advisories. Rendering is `formats/dashboard.py`; this module only collects plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shipyard import config
from shipyard.bench.trend import Trend
from shipyard.git import Repo
from shipyard.metrics.collect import Metrics
from shipyard.store import Store

GATE_SERIES = ("coverage.lines", "coverage.branches", "lint.errors", "lint.warnings")


@dataclass(frozen=True)
class Series:
    """One chart: points oldest first, each with a label (a date or a commit)."""

    key: str
    title: str
    unit: str  # seconds, ratio, percent, count, or a benchmark's unit
    points: tuple[tuple[str, float], ...]
    target: float | None = None
    changes: tuple[tuple[int, str], ...] = ()  # (index of the first point after, label)


@dataclass(frozen=True)
class Dashboard:
    title: str
    metrics: Metrics
    pipeline: tuple[Series, ...]
    gates: tuple[Series, ...]
    benchmarks: tuple[Series, ...]
    notes: tuple[str, ...] = field(default=())


def _day(ts: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")


def pipeline_series(m: Metrics) -> tuple[Series, ...]:
    runs = sorted(m.runs, key=lambda r: r.started)
    duration = Series(
        "pipeline-duration",
        "Pipeline duration per run",
        "seconds",
        tuple((f"run {r.id} · {_day(r.started)}", r.duration) for r in runs),
        next((k.target for k in m.kpis if k.key == "pipeline_duration"), None),
    )
    days: dict[str, list[bool]] = {}
    for r in runs:
        days.setdefault(_day(r.started), []).append(r.passed)
    rate = Series(
        "pipeline-success",
        "Pipeline success rate per day",
        "ratio",
        tuple((d, sum(v) / len(v)) for d, v in days.items()),
        next((k.target for k in m.kpis if k.key == "success_rate"), None),
    )
    return duration, rate


def gate_series(store: Store, branch: str | None) -> tuple[Series, ...]:
    from shipyard.gates.history import series

    found = []
    for gate in GATE_SERIES:
        points = series(store, gate, branch)
        if points:
            unit = "percent" if gate.startswith("coverage") else "count"
            found.append(Series(gate, gate, unit, tuple((_day(t), v) for t, v in points)))
    return tuple(found)


def bench_series(repo: Repo, notes: list[str]) -> tuple[Series, ...]:
    """Each benchmark's medians along the base branch, with its change points."""
    if config.find_definition(repo.root) is None:
        return ()
    from shipyard.bench import history, machine, settings, trend

    loaded = settings.load(config.load(repo.root))
    if not loaded.benches:
        return ()  # no benchmark configured: nothing missing
    name = machine.fingerprint(loaded.machine)
    ref = loaded.base if repo.rev_exists(loaded.base) else "HEAD"
    source = history.RunSource(repo, repo.root / loaded.results / name, ref)
    runs = source.runs_along(ref, 10_000)
    if not runs:
        notes.append(f"no benchmark results in {loaded.results}/{name} along {ref}")
    return tuple(_bench(t) for t in trend.trends(runs, loaded.benches))


def _bench(t: Trend) -> Series:
    return Series(
        f"bench-{t.key}",
        f"Benchmark {t.key} ({t.direction.value} is better)",
        t.unit,
        tuple((p.commit[:10], p.median) for p in t.points),
        t.target,
        tuple((c.index, f"{t.commit_at(c)[:10]} {c.change:+.1%}") for c in t.changes),
    )


def gather(repo: Repo, m: Metrics, branch: str | None) -> Dashboard:
    notes = list(m.notes)
    store = Store(repo.root)
    gates = gate_series(store, branch)
    if not gates:
        notes.append(
            "no lint or coverage history: run `shipyard gate` (or a pipeline with reports)"
        )
    return Dashboard(
        f"{repo.root.name}: delivery dashboard",
        m,
        pipeline_series(m),
        gates,
        bench_series(repo, notes),
        tuple(dict.fromkeys(notes)),
    )
