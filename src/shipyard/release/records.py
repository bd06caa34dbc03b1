"""Release and rollback records in the run store (family 'release'); DORA metrics read them.

Nothing secret is stored: versions, tags, commits, times, outcomes and step statuses only.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from shipyard.store import Store

MIGRATIONS: Sequence[str] = (
    """
    CREATE TABLE releases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        version TEXT NOT NULL,
        channel TEXT NOT NULL,
        dist_tag TEXT NOT NULL,
        commit_sha TEXT,
        tag TEXT NOT NULL,
        started REAL NOT NULL,
        finished REAL NOT NULL,
        outcome TEXT NOT NULL,
        steps TEXT NOT NULL
    );
    CREATE INDEX releases_version ON releases(version);
    CREATE TABLE rollbacks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ecosystem TEXT NOT NULL,
        package TEXT NOT NULL,
        bad TEXT NOT NULL,
        good TEXT NOT NULL,
        dist_tag TEXT NOT NULL,
        time REAL NOT NULL,
        outcome TEXT NOT NULL
    );
    """,
)


def start_release(store: Store, data: dict[str, Any]) -> int:
    """A row saying a release is running; a run killed outright leaves it as 'running'."""
    store.ensure_schema("release", MIGRATIONS)
    now = time.time()
    with store.transaction() as tx:
        # a row still 'running' belongs to a run that was killed outright (SIGKILL, power):
        # a new release means it ended, so it is closed as 'killed' (DORA counts it failed)
        tx.execute("UPDATE releases SET outcome = 'killed' WHERE outcome = 'running'")
        cur = tx.execute(
            "INSERT INTO releases (version, channel, dist_tag, commit_sha, tag, started, "
            "finished, outcome, steps) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', '[]')",
            (
                data["version"],
                data["channel"] or "stable",
                data["dist_tag"],
                data["commit"],
                data["tag"],
                now,
                now,
            ),
        )
        return int(cur.lastrowid or 0)


def finish_release(store: Store, row: int, data: dict[str, Any]) -> None:
    store.ensure_schema("release", MIGRATIONS)
    with store.transaction() as tx:
        tx.execute(
            "UPDATE releases SET commit_sha = ?, finished = ?, outcome = ?, steps = ? WHERE id = ?",
            (data["commit"], time.time(), data["outcome"], json.dumps(data["steps"]), row),
        )


def record_rollback(
    store: Store, ecosystem: str, package: str, bad: str, good: str, dist_tag: str, outcome: str
) -> None:
    store.ensure_schema("release", MIGRATIONS)
    with store.transaction() as tx:
        tx.execute(
            "INSERT INTO rollbacks (ecosystem, package, bad, good, dist_tag, time, outcome) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (ecosystem, package, bad, good, dist_tag, time.time(), outcome),
        )


def releases(store: Store) -> list[dict[str, Any]]:
    store.ensure_schema("release", MIGRATIONS)
    rows = store.db.execute("SELECT * FROM releases ORDER BY id").fetchall()
    return [dict(r) for r in rows]


def rollbacks(store: Store) -> list[dict[str, Any]]:
    store.ensure_schema("release", MIGRATIONS)
    return [dict(r) for r in store.db.execute("SELECT * FROM rollbacks ORDER BY id").fetchall()]
