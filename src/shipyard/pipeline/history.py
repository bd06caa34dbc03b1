"""Run history in the store: one row per run, one per stage result, the merged test cases."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shipyard.errors import UsageError
from shipyard.pipeline.model import RunResult, StageResult
from shipyard.store import Row, Store

# runs started by a git hook are recorded with this trigger prefix (`hook:pre-commit`): they
# show in `shipyard runs` but are not pipeline runs for monitor, metrics, gates or health
HOOK_PREFIX = "hook:"
PIPELINE_ONLY = f"trigger NOT LIKE '{HOOK_PREFIX}%'"


def start_run(store: Store, run: RunResult) -> int:
    """Record `run` as running; `run.id` is set before the row is committed, so an interrupt
    at any moment leaves either no row or one the caller knows to finish."""
    with store.transaction() as tx:
        cur = tx.execute(
            "INSERT INTO runs (trigger, commit_sha, branch, started, pid) VALUES (?, ?, ?, ?, ?)",
            (run.trigger, run.commit, run.branch, run.started, os.getpid()),
        )
        assert cur.lastrowid is not None
        run.id = cur.lastrowid
    return run.id


def record_stage(store: Store, run_id: int, r: StageResult) -> None:
    with store.transaction() as tx:
        tx.execute(
            "INSERT OR REPLACE INTO stage_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                r.name,
                str(r.status),
                r.duration,
                r.budget,
                int(r.over_budget),
                int(r.status == "cached"),
                r.exit_code,
                int(r.critical),
                r.cache_key,
                r.reason,
                r.log,
            ),
        )


def finish_run(store: Store, run: RunResult) -> None:
    result = run.result
    with store.transaction() as tx:
        tx.execute(
            "UPDATE runs SET duration = ?, result = ?, pid = NULL WHERE id = ?",
            (run.duration, result, run.id),
        )


def _result(row: Row) -> str:
    """A run still marked running whose process is gone was killed: say so."""
    if row["result"] != "running" or row["pid"] is None:
        return str(row["result"])
    try:
        os.kill(row["pid"], 0)
    except ProcessLookupError:
        return "killed"
    except PermissionError:
        pass
    return "running"


def list_runs(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    rows = store.db.execute(
        "SELECT r.*, (SELECT COUNT(*) FROM stage_results s WHERE s.run_id = r.id) AS stages "
        "FROM runs r ORDER BY r.id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [{**dict(row), "result": _result(row)} for row in rows]


def get_run(store: Store, run_id: int) -> dict[str, Any]:
    row = store.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise UsageError(f"no run with id {run_id}", hint="`shipyard runs` lists recorded runs")
    stages = store.db.execute(
        "SELECT * FROM stage_results WHERE run_id = ? ORDER BY rowid", (run_id,)
    ).fetchall()
    tests = store.db.execute(
        "SELECT COUNT(*) AS tests, COALESCE(SUM(outcome = 'failed' OR outcome = 'error'), 0) "
        "AS failures, COALESCE(SUM(duration), 0) AS duration FROM test_cases WHERE run_id = ?",
        (run_id,),
    ).fetchone()
    run = {**dict(row), "result": _result(row)}
    run.pop("pid", None)
    return {"run": run, "stages": [dict(s) for s in stages], "tests": dict(tests)}


def age(ts: float) -> str:
    delta = time.time() - ts
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if delta >= size:
            return f"{int(delta // size)}{unit} ago"
    return f"{int(delta)}s ago"


@dataclass(frozen=True)
class FinishedRun:
    """A run that ended passed or failed (the population of rates and durations)."""

    id: int
    branch: str | None
    commit: str | None
    started: float
    duration: float
    passed: bool


def finished_runs(
    store: Store, branch: str | None = None, limit: int = 100, since: float | None = None
) -> list[FinishedRun]:
    """Passed and failed runs, newest first, optionally of one branch and after `since`."""
    sql = (
        "SELECT id, branch, commit_sha, started, duration, result FROM runs "
        f"WHERE result IN ('passed', 'failed') AND duration IS NOT NULL AND {PIPELINE_ONLY}"
    )
    args: list[Any] = []
    if branch:
        sql += " AND branch = ?"
        args.append(branch)
    if since is not None:
        sql += " AND started >= ?"
        args.append(since)
    rows = store.db.execute(sql + " ORDER BY id DESC LIMIT ?", [*args, limit]).fetchall()
    return [
        FinishedRun(
            r["id"],
            r["branch"],
            r["commit_sha"],
            r["started"],
            r["duration"],
            r["result"] == "passed",
        )
        for r in rows
    ]


def latest_on(store: Store, branch: str) -> dict[str, Any] | None:
    """The newest run on `branch` that is no longer running: id, result, commit, failed stages."""
    row = store.db.execute(
        "SELECT id, result, commit_sha FROM runs WHERE branch = ? AND result != 'running' "
        f"AND {PIPELINE_ONLY} ORDER BY id DESC LIMIT 1",
        (branch,),
    ).fetchone()
    if row is None:
        return None
    failed = store.db.execute(
        "SELECT name FROM stage_results WHERE run_id = ? AND status IN ('failed', 'timeout') "
        "ORDER BY rowid",
        (row["id"],),
    ).fetchall()
    return {**dict(row), "failed": [r[0] for r in failed]}


def latest_run(store: Store) -> dict[str, Any] | None:
    """id, result and branch of the newest pipeline run (for the health endpoint)."""
    row = store.db.execute(
        f"SELECT id, result, branch FROM runs WHERE {PIPELINE_ONLY} ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return dict(row) if row else None


def stage_time(
    store: Store, names: list[str], run_id: int | None = None, commit: str | None = None
) -> float | None:
    """Seconds the named stages ran (passed, failed or timed out) in run `run_id`, or else in
    the newest pipeline run of `commit` (hook runs are not builds); None when none ran."""
    if run_id is None:
        row = store.db.execute(
            f"SELECT id FROM runs WHERE commit_sha = ? AND {PIPELINE_ONLY} "
            "ORDER BY id DESC LIMIT 1",
            (commit,),
        ).fetchone()
        if row is None:
            return None
        run_id = int(row[0])
    marks = ",".join("?" * len(names))
    row = store.db.execute(
        f"SELECT SUM(duration), COUNT(*) FROM stage_results WHERE run_id = ? AND name IN "
        f"({marks}) AND status IN ('passed', 'failed', 'timeout')",
        (run_id, *names),
    ).fetchone()
    return float(row[0]) if row[1] else None


def record_test_cases(store: Store, run_id: int, cases: Sequence[tuple[object, ...]]) -> None:
    """The run's test cases: (stage, suite, classname, name, file, duration, outcome) each."""
    with store.transaction() as tx:
        tx.executemany(
            "INSERT INTO test_cases VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, *case) for case in cases],
        )


def seconds_per_test_file(store: Store, stage: str) -> list[tuple[int, str, float]]:
    """(run id, test file, seconds) of every recorded run of `stage`, newest run first."""
    rows = store.db.execute(
        "SELECT run_id, file, SUM(duration) FROM test_cases WHERE stage = ? AND file IS NOT NULL"
        " GROUP BY run_id, file ORDER BY run_id DESC",
        (stage,),
    ).fetchall()
    return [(int(r), str(f), float(s)) for r, f, s in rows]


def judged_stages(store: Store, run_id: int) -> tuple[float, list[tuple[str, str]]]:
    """When run `run_id` started, and (stage, status) of its stages that passed, failed or
    were restored from the cache."""
    (started,) = store.db.execute("SELECT started FROM runs WHERE id = ?", (run_id,)).fetchone()
    rows = store.db.execute(
        "SELECT name, status FROM stage_results WHERE run_id = ? AND status IN "
        "('passed', 'failed', 'cached')",
        (run_id,),
    ).fetchall()
    return float(started), [(str(n), str(s)) for n, s in rows]
