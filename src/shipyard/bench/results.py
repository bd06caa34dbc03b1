"""Result files: one JSON file per run, kept in git beside the code.

Layout: `<results>/<machine>/<commit>-<UTC time>.json` (default `<results>` is `.bench`). Each
run adds a new file and never edits one, so two branches recording runs merge without
conflicts, and a re-run of the same commit adds a second file rather than replacing the first.
A file records the commit, branch, machine, time and, per series, every sample and the verdict
(a flagged verdict on the base branch marks where an accepted change set a new level).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipyard.bench.interface import SCHEMA, BenchError, Direction, Series
from shipyard.bench.shape import need_list, need_number, need_positive, need_table

CPU_TIMES = ("user", "sys")


@dataclass(frozen=True)
class Run:
    commit: str
    branch: str | None
    time: str  # ISO 8601, UTC
    machine: str
    series: tuple[Series, ...]
    statuses: dict[str, str] = field(default_factory=dict)  # series key -> verdict
    base: bool = False  # recorded on the base branch
    path: str = ""  # where it was read from, for messages
    machine_info: dict[str, str] = field(default_factory=dict)  # what the fingerprint hashes

    def get(self, key: str) -> Series | None:
        return next((s for s in self.series if s.key == key), None)


def file_name(commit: str, when: dt.datetime) -> str:
    return f"{commit}-{when.strftime('%Y%m%dT%H%M%S.%fZ')}.json"


def commit_of(name: str) -> str:
    return name.split("-", 1)[0]


def dump(run: Run) -> str:
    from shipyard import __version__

    data = {
        "schema": SCHEMA,
        "shipyard": __version__,
        "commit": run.commit,
        "branch": run.branch,
        "base": run.base,
        "time": run.time,
        "machine": run.machine,
        "machine_info": run.machine_info,
        "series": [
            {
                "bench": s.bench,
                "metric": s.metric,
                "unit": s.unit,
                "direction": s.direction.value,
                "status": run.statuses.get(s.key, ""),
                "samples": list(s.samples),
            }
            for s in run.series
        ],
    }
    return json.dumps(data, indent=1) + "\n"


def parse(text: str, where: str) -> Run:
    """A run from a result file's text; BenchError naming `where` when it is unusable."""
    try:
        data = need_table(json.loads(text), where)
    except json.JSONDecodeError as exc:
        raise BenchError(
            f"{where}: not valid JSON (line {exc.lineno}: {exc.msg})",
            hint="an interrupted copy? delete the file or restore it from git",
        ) from None
    except RecursionError:
        raise BenchError(f"{where}: JSON nested too deeply to be benchmark results") from None
    schema = data.get("schema")
    if not isinstance(schema, int):
        raise BenchError(f"{where}: not a shipyard benchmark result (no schema number)")
    if schema > SCHEMA:
        raise BenchError(
            f"{where}: written by a newer shipyard ({data.get('shipyard', '?')}, result schema "
            f"{schema}; this one reads schema {SCHEMA})",
            hint="upgrade shipyard (pip install -U shipyard) to read this history",
        )
    series, statuses = [], {}
    for i, raw in enumerate(need_list(data, "series", where)):
        s = _series(need_table(raw, f"{where}: series[{i}]"), f"{where}: series[{i}]")
        series.append(s)
        statuses[s.key] = str(raw.get("status", ""))
    return Run(
        commit=str(data.get("commit", "")),
        branch=data.get("branch"),
        time=str(data.get("time", "")),
        machine=str(data.get("machine", "")),
        series=tuple(series),
        statuses=statuses,
        base=bool(data.get("base")),
        path=where,
        machine_info=dict(data.get("machine_info") or {}),
    )


def _series(raw: dict[str, Any], where: str) -> Series:
    try:
        direction = Direction(raw.get("direction", "smaller"))
    except ValueError:
        raise BenchError(f"{where}.direction: expected smaller or bigger") from None
    metric = str(raw.get("metric", "value"))
    values = need_list(raw, "samples", where)
    if metric in CPU_TIMES:  # recorded only; a quick command takes 0 s of CPU
        samples = tuple(need_number(x, f"{where}.samples") for x in values)
    else:
        samples = tuple(need_positive(x, f"{where}.samples") for x in values)
    return Series(
        str(raw.get("bench")),
        metric,
        str(raw.get("unit", "")),
        direction,
        samples,
    )


def write(results_dir: Path, run: Run, when: dt.datetime) -> Path:
    """Write the run atomically: an interrupted run leaves no half-written file."""
    from shipyard.store import write_atomic

    path = results_dir / run.machine / file_name(run.commit, when)
    write_atomic(path, dump(run))
    return path
