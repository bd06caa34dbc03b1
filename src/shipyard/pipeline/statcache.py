"""Content hashes of working-tree files, remembered by their stat data as git's index does.

A file whose size, modification time, change time and inode are what they were when it was
last hashed is not read again: a tree of 100,000 untracked input files costs 100,000 `stat`
calls on the next run instead of 100,000 reads. As git guards against "racily clean" entries,
a file modified within the last few seconds is never remembered, since a second change in
the same clock tick would leave its stat data unchanged. The table lives in the run store
(family `statcache`) and is rewritten when most of what it holds is gone from the tree.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from shipyard.store import Store

MIGRATIONS = [
    "CREATE TABLE stat_cache (kind TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL, "
    "mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, "
    "hash TEXT NOT NULL, PRIMARY KEY (kind, path))",
]
RACY_NS = 3_000_000_000  # files changed this recently are hashed every time


def git_blob(data: bytes) -> str:
    """The object id git gives a blob of `data` (no filters): what `git hash-object` prints."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


KINDS: dict[str, Callable[[bytes], str]] = {"blob": git_blob, "sha256": sha256}
Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def hashes(root: Path, paths: Iterable[str], kind: str, store: Store | None) -> dict[str, str]:
    """path -> hash of each readable regular file among `paths` (relative to `root`)."""
    digest = KINDS[kind]
    known = _load(store, kind)
    now = time.time_ns()
    found: dict[str, str] = {}
    kept: list[str] = []  # remembered and unchanged
    fresh: list[tuple[str, Stat, str]] = []
    base = os.path.join(root, "")  # strings, not Path objects: 100,000 of those cost seconds
    for rel in paths:
        try:
            st = os.stat(base + rel)
        except OSError:
            continue
        key: Stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        hit = known.get(rel)
        if hit is not None and hit[0] == key:
            found[rel] = hit[1]
            kept.append(rel)
            continue
        try:
            with open(base + rel, "rb") as fh:
                value = digest(fh.read())
        except OSError:  # a folder, a dangling link, unreadable: no content to key on
            continue
        found[rel] = value
        if now - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
            fresh.append((rel, key, value))
    _save(store, kind, known, kept, fresh)
    return found


def _load(store: Store | None, kind: str) -> dict[str, tuple[Stat, str]]:
    if store is None:
        return {}
    store.ensure_schema("statcache", MIGRATIONS)
    cursor = store.db.cursor()
    cursor.row_factory = None  # plain tuples: sqlite3.Row costs more per row
    rows = cursor.execute(
        "SELECT path, size, mtime_ns, ctime_ns, ino, hash FROM stat_cache WHERE kind = ?", (kind,)
    )
    return {r[0]: ((r[1], r[2], r[3], r[4]), r[5]) for r in rows}


def _save(
    store: Store | None,
    kind: str,
    known: dict[str, tuple[Stat, str]],
    kept: list[str],
    fresh: list[tuple[str, Stat, str]],
) -> None:
    stale = len(known) - len(kept) > len(kept) + len(fresh)
    if store is None or not (fresh or stale):
        return
    with store.transaction() as tx:
        if stale:  # mostly gone from the tree: start again from what it holds now
            tx.execute("DELETE FROM stat_cache WHERE kind = ?", (kind,))
            tx.executemany(
                "INSERT INTO stat_cache VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(kind, p, *known[p][0], known[p][1]) for p in kept],
            )
        tx.executemany(
            "INSERT OR REPLACE INTO stat_cache VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(kind, rel, *key, value) for rel, key, value in fresh],
        )
