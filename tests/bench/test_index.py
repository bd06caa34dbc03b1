"""The run store's index of result files (family 'bench')."""

from __future__ import annotations

from pathlib import Path

from shipyard.bench.index import index_runs, medians
from shipyard.bench.interface import Direction, Series
from shipyard.bench.results import Run
from shipyard.store import Store


def run(commit: str, path: str, samples: tuple[float, ...]) -> Run:
    return Run(
        commit,
        "main",
        f"2026-01-0{commit[-1]}T00:00:00",
        "m",
        (
            Series("start", "wall", "s", Direction.SMALLER, samples),
            Series("empty", "value", "s", Direction.SMALLER, ()),
        ),
        {"start": "ok"},
        base=True,
        path=path,
    )


def test_runs_are_indexed_once_by_file(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first, second = run("c1", ".bench/m/a.json", (1.0, 3.0)), run("c2", ".bench/m/b.json", (4.0,))
    assert index_runs(store, [first, second]) == 2
    assert index_runs(store, [first]) == 0
    assert medians(store, "start") == [("c1", 2.0), ("c2", 4.0)]
    assert medians(store, "empty") == []
    row = store.db.execute(
        "SELECT status, samples FROM bench_series WHERE key = 'start' ORDER BY run_id"
    ).fetchone()
    assert tuple(row) == ("ok", 2)
