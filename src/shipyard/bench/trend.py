"""`bench history`: each series' runs along a ref, and the commits where its level stepped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shipyard.bench.changepoint import ChangePoint, detect
from shipyard.bench.interface import BenchSpec, Direction
from shipyard.bench.results import Run
from shipyard.bench.stats import median


@dataclass(frozen=True)
class Point:
    commit: str
    time: str
    median: float
    samples: tuple[float, ...]
    status: str = ""  # the run's verdict: ok, warn, fail, improved, new


@dataclass(frozen=True)
class Trend:
    key: str
    unit: str
    direction: Direction
    points: tuple[Point, ...]
    changes: tuple[ChangePoint, ...]
    target: float | None = None

    def commit_at(self, change: ChangePoint) -> str:
        return self.points[change.index].commit

    def serialize(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "unit": self.unit,
            "direction": self.direction.value,
            "target": self.target,
            "points": [
                {
                    "commit": p.commit,
                    "time": p.time,
                    "median": p.median,
                    "samples": list(p.samples),
                    "status": p.status,
                }
                for p in self.points
            ],
            "change_points": [
                {
                    "commit": self.commit_at(c),
                    "index": c.index,
                    "before": c.before,
                    "after": c.after,
                    "change": c.change,
                    "p": c.p,
                }
                for c in self.changes
            ],
        }


def target_for(key: str, specs: Sequence[BenchSpec]) -> float | None:
    for spec in specs:
        if key == spec.name or key.startswith(spec.name + "/"):
            return spec.targets.get("wall")
        if key == f"{spec.name}:peak_rss":
            return spec.targets.get("peak_rss")
    return None


def trends(runs: Sequence[Run], specs: Sequence[BenchSpec] = ()) -> list[Trend]:
    """One trend per series found in `runs` (oldest first), with its change points."""
    points: dict[str, list[Point]] = {}
    meta: dict[str, tuple[str, Direction]] = {}
    for run in runs:
        for s in run.series:
            if s.samples and s.metric not in ("user", "sys"):
                points.setdefault(s.key, []).append(
                    Point(
                        run.commit,
                        run.time,
                        median(s.samples),
                        s.samples,
                        run.statuses.get(s.key, ""),
                    )
                )
                meta[s.key] = (s.unit, s.direction)
    return [
        Trend(
            key,
            *meta[key],
            tuple(pts),
            tuple(detect([p.median for p in pts])),
            target_for(key, specs),
        )
        for key, pts in points.items()
    ]
