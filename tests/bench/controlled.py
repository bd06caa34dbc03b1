"""A benchmark whose values the test controls: `shipyard bench run` on a custom results file.

The benchmark's command does nothing; its results file (github-action-benchmark's
customSmallerIsBetter) is written by the test before each run, so a history of real
`bench run` results files can be built commit by commit with chosen values.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from shipyard.bench.interface import Direction, Series
from shipyard.bench.results import Run, write
from tests.bench.test_cli import ENV
from tests.conftest import CliResult, GitRepo, run_cli

CONFIG = """
[bench]
calibrate = {calibrate}
{extra}
[bench.api]
command = "true"
results = "values.json"
format = "customSmallerIsBetter"
"""


def setup(repo: GitRepo, extra: str = "", calibrate: bool = False) -> str:
    """Define the controlled benchmark, ignore its results file in git, commit."""
    repo.write("shipyard.toml", CONFIG.format(extra=extra, calibrate=str(calibrate).lower()))
    repo.write(".gitignore", "values.json\n.shipyard/\n")
    return repo.commit("init")


def spread(value: float, samples: int = 3) -> list[float]:
    return [value * (1 + 0.001 * (k - samples // 2)) for k in range(samples)]


def put(repo: GitRepo, value: float | str, samples: int = 3) -> None:
    """The next measurement: `samples` copies of `value` (spread ±0.1 % so MAD is not 0)."""
    if isinstance(value, str):  # raw JSON text for the value (NaN, -1, ...)
        entries = ",".join(f'{{"name": "t", "unit": "ms", "value": {value}}}' for _ in range(3))
        repo.write("values.json", f"[{entries}]")
        return
    vals = spread(value, samples)
    repo.write("values.json", json.dumps([{"name": "t", "unit": "ms", "value": v} for v in vals]))


def run(repo: GitRepo, *args: str) -> CliResult:
    return run_cli("bench", "run", *args, cwd=repo.path, env=ENV)


def run_json(repo: GitRepo, *args: str) -> tuple[int, dict[str, object]]:
    result = run(repo, "--json", *args)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def verdict(data: dict[str, object]) -> dict[str, object]:
    benches = data["benchmarks"]
    assert isinstance(benches, list)
    found: dict[str, object] = next(b for b in benches if b["key"] == "api/t")
    return found


def history(repo: GitRepo, values: Sequence[float]) -> list[tuple[int, dict[str, object]]]:
    """One commit and one recorded `bench run` per value, on the current branch."""
    out = []
    for i, value in enumerate(values):
        repo.commit(f"c{i}", allow_empty=True)
        put(repo, value)
        out.append(run_json(repo))
    return out


def recorded(repo: GitRepo, values: Sequence[float]) -> list[str]:
    """A quick prefix of history: the result files `bench run` writes for unflagged runs.

    Written with the same writer (results.write) as `bench run`, one commit per value, so a
    test spends its `bench run` subprocesses on the runs it judges.
    """
    commits = []
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i, value in enumerate(values):
        sha = repo.commit(f"r{i}", allow_empty=True)
        series = Series("api/t", "value", "ms", Direction.SMALLER, tuple(spread(value)))
        run = Run(sha, "main", when.isoformat(), "testbox", (series,), {"api/t": "ok"}, base=True)
        write(repo.path / ".bench", run, when + dt.timedelta(minutes=i))
        commits.append(sha)
    repo.commit("recorded", allow_empty=True)
    return commits
