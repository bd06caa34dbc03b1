"""The run store's index of benchmark results (family 'bench'): the files in git stay the truth.

Every recorded or read run is indexed by file, so `shipyard runs`-style queries and reports can
find a benchmark's medians without parsing thousands of JSON files.
"""

from __future__ import annotations

from collections.abc import Iterable

from shipyard.bench.results import Run
from shipyard.bench.stats import median
from shipyard.store import Store

MIGRATIONS = (
    """
    CREATE TABLE bench_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file TEXT NOT NULL UNIQUE,
        commit_sha TEXT NOT NULL,
        branch TEXT,
        machine TEXT NOT NULL,
        time TEXT NOT NULL,
        base INTEGER NOT NULL
    );
    CREATE TABLE bench_series (
        run_id INTEGER NOT NULL REFERENCES bench_runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        unit TEXT NOT NULL,
        median REAL NOT NULL,
        samples INTEGER NOT NULL,
        status TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
    );
    CREATE INDEX bench_series_key ON bench_series(key);
    """,
)


def index_runs(store: Store, runs: Iterable[Run]) -> int:
    """Index runs not indexed yet (by file); returns how many were added."""
    store.ensure_schema("bench", MIGRATIONS)
    added = 0
    with store.transaction() as tx:
        for run in runs:
            cur = tx.execute(
                "INSERT OR IGNORE INTO bench_runs (file, commit_sha, branch, machine, time, base)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (run.path, run.commit, run.branch, run.machine, run.time, int(run.base)),
            )
            if not cur.rowcount:
                continue
            added += 1
            tx.executemany(
                "INSERT INTO bench_series VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        cur.lastrowid,
                        s.key,
                        s.unit,
                        median(s.samples),
                        len(s.samples),
                        run.statuses.get(s.key, ""),
                    )
                    for s in run.series
                    if s.samples
                ],
            )
    return added


def medians(store: Store, key: str) -> list[tuple[str, float]]:
    """(commit, median) of every indexed run of one series, in recording order."""
    store.ensure_schema("bench", MIGRATIONS)
    rows = store.db.execute(
        "SELECT r.commit_sha, s.median FROM bench_series s JOIN bench_runs r ON r.id = s.run_id"
        " WHERE s.key = ? ORDER BY r.time, r.id",
        (key,),
    ).fetchall()
    return [(row[0], row[1]) for row in rows]
