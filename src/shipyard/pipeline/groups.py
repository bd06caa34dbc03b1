"""No stage process outlives its run.

Each stage command runs in its own process group. Three layers make sure those groups end:
- the stage itself: when its shell exits, what is left of its group is stopped (proc.end_group);
- a guardian process (proc.Guardian), started per run in its own session, holds the list of
  live groups; when shipyard dies in any way, even `kill -9`, the guardian's pipe closes and it
  kills the groups still listed;
- the run store: every live group is recorded with the run's token (an environment variable of
  every stage process), so the next run of the worktree kills what a killed run (and its
  guardian) left behind, after checking that the processes still carry that token.
"""

from __future__ import annotations

import secrets

from shipyard import proc
from shipyard.store import Store

TOKEN_ENV = "SHIPYARD_RUN_TOKEN"
MIGRATIONS = [
    "CREATE TABLE stage_groups (run_id INTEGER NOT NULL, pgid INTEGER NOT NULL, "
    "token TEXT NOT NULL, PRIMARY KEY (run_id, pgid))",
]


def new_token() -> str:
    return secrets.token_hex(8)


def record(store: Store, run_id: int, pgid: int, token: str) -> None:
    store.ensure_schema("groups", MIGRATIONS)
    with store.transaction() as tx:
        tx.execute("INSERT OR REPLACE INTO stage_groups VALUES (?, ?, ?)", (run_id, pgid, token))


def forget(store: Store, run_id: int, pgid: int) -> None:
    store.ensure_schema("groups", MIGRATIONS)
    with store.transaction() as tx:
        tx.execute("DELETE FROM stage_groups WHERE run_id = ? AND pgid = ?", (run_id, pgid))


def reap_leftovers(store: Store) -> int:
    """Kill the groups recorded by earlier runs that still carry their run's token; called
    under the run lock, so no other run of this worktree is alive. Returns how many."""
    store.ensure_schema("groups", MIGRATIONS)
    rows = store.db.execute("SELECT run_id, pgid, token FROM stage_groups").fetchall()
    killed = 0
    for _run_id, pgid, token in rows:
        members = proc.group_members(pgid, f"{TOKEN_ENV}={token}")
        if members:
            proc.kill_pids(members)
            killed += 1
    with store.transaction() as tx:
        tx.execute("DELETE FROM stage_groups")
    return killed
