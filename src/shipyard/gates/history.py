"""Gate results in the run store: one evaluation per `shipyard gate` (or per run), its results.

The trend baseline is the latest evaluation recorded on the base branch, so "change" reads as
"since the last main-branch run", and `lint.warnings` may not grow beyond it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from shipyard.gates.interface import GateResult
from shipyard.store import Store

MIGRATIONS: Sequence[str] = (
    """
    CREATE TABLE gate_evaluations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER,
        commit_sha TEXT,
        branch TEXT,
        base TEXT,
        created REAL NOT NULL,
        passed INTEGER NOT NULL
    );
    CREATE INDEX gate_evaluations_branch ON gate_evaluations(branch, id);
    CREATE TABLE gate_results (
        evaluation_id INTEGER NOT NULL REFERENCES gate_evaluations(id) ON DELETE CASCADE,
        gate TEXT NOT NULL,
        op TEXT NOT NULL,
        threshold REAL,
        actual REAL,
        unit TEXT NOT NULL,
        status TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (evaluation_id, gate)
    );
    """,
)


def _open(store: Store) -> Store:
    store.ensure_schema("gates", MIGRATIONS)
    return store


def baseline(store: Store, branch: str) -> dict[str, float]:
    """Gate -> figure of the latest evaluation recorded on `branch` (empty when none)."""
    db = _open(store).db
    row = db.execute(
        "SELECT id FROM gate_evaluations WHERE branch = ? ORDER BY id DESC LIMIT 1", (branch,)
    ).fetchone()
    if row is None:
        return {}
    rows = db.execute(
        "SELECT gate, actual FROM gate_results WHERE evaluation_id = ? AND actual IS NOT NULL",
        (row[0],),
    ).fetchall()
    return {r[0]: float(r[1]) for r in rows}


def record(
    store: Store,
    results: Sequence[GateResult],
    *,
    run_id: int | None,
    commit: str | None,
    branch: str | None,
    base: str | None,
    passed: bool,
) -> int:
    with _open(store).transaction() as tx:
        cur = tx.execute(
            "INSERT INTO gate_evaluations (run_id, commit_sha, branch, base, created, passed) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (run_id, commit, branch, base, time.time(), int(passed)),
        )
        evaluation = cur.lastrowid
        assert evaluation is not None
        tx.executemany(
            "INSERT INTO gate_results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (evaluation, r.gate, r.op, r.threshold, r.actual, r.unit, str(r.status), r.detail)
                for r in results
            ],
        )
    return evaluation


def trend(store: Store, gate: str, branch: str | None = None, limit: int = 50) -> list[float]:
    """The figures of one gate over the latest evaluations, oldest first (for plots)."""
    sql = (
        "SELECT r.actual FROM gate_results r JOIN gate_evaluations e ON e.id = r.evaluation_id "
        "WHERE r.gate = ? AND r.actual IS NOT NULL"
    )
    args: list[object] = [gate]
    if branch is not None:
        sql += " AND e.branch = ?"
        args.append(branch)
    rows = _open(store).db.execute(sql + " ORDER BY e.id DESC LIMIT ?", (*args, limit))
    return [float(r[0]) for r in reversed(rows.fetchall())]


def evaluations(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The latest evaluations, newest first, each with its gate results."""
    db = _open(store).db
    rows = db.execute(
        "SELECT * FROM gate_evaluations ORDER BY id DESC LIMIT ?", (limit,)
    ).fetchall()
    found = []
    for row in rows:
        results = db.execute(
            "SELECT gate, op, threshold, actual, unit, status, detail FROM gate_results "
            "WHERE evaluation_id = ? ORDER BY rowid",
            (row["id"],),
        ).fetchall()
        found.append(
            {**dict(row), "passed": bool(row["passed"]), "gates": [dict(r) for r in results]}
        )
    return found


def series(
    store: Store, gate: str, branch: str | None = None, limit: int = 200
) -> list[tuple[float, float]]:
    """(time recorded, figure) of one gate over the latest evaluations, oldest first."""
    sql = (
        "SELECT e.created, r.actual FROM gate_results r "
        "JOIN gate_evaluations e ON e.id = r.evaluation_id "
        "WHERE r.gate = ? AND r.actual IS NOT NULL"
    )
    args: list[object] = [gate]
    if branch is not None:
        sql += " AND e.branch = ?"
        args.append(branch)
    rows = _open(store).db.execute(sql + " ORDER BY e.id DESC LIMIT ?", (*args, limit))
    return [(float(r[0]), float(r[1])) for r in reversed(rows.fetchall())]
