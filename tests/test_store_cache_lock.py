"""The store's cache entries, run lock and log file at their edges: restoring over whatever the
working tree holds now (links, a file where a folder was, extra files), saving when an output is
missing or the key exists, cleaning by age; the lock's nesting, refusal and queueing; a log that
cannot be written."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from shipyard.errors import UsageError
from shipyard.store import Store


def _tree(root: Path) -> dict[str, str]:
    """Every path below `root`: a file's text, a link's target, or '/' for a folder."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_dir():
            out[rel] = "/"
        else:
            out[rel] = p.read_text()
    return out


def test_restore_makes_outputs_equal_to_the_entry(tmp_path: Path) -> None:
    store = Store(tmp_path)
    (tmp_path / "dist/sub").mkdir(parents=True)
    (tmp_path / "dist/a.txt").write_text("a")
    (tmp_path / "dist/sub/b.txt").write_text("b")
    os.symlink("a.txt", tmp_path / "dist/link")
    (tmp_path / "report.txt").write_text("r")
    store.cache_save("k1", "build", ["dist", "report.txt"], tmp_path)
    saved = {**_tree(tmp_path / "dist"), "report.txt": "r"}
    store.cache_save("k1", "build", ["nothing-like-it"], tmp_path)  # the key exists: kept
    entry = store.cache_lookup("k1")
    assert entry is not None
    assert (entry / "manifest").read_text() == "dist\nreport.txt\n"

    # the tree drifts every way a restore must undo
    (tmp_path / "dist/a.txt").write_text("changed")
    (tmp_path / "dist/link").unlink()
    os.symlink("sub", tmp_path / "dist/link")  # a link to elsewhere
    (tmp_path / "dist/extra.txt").write_text("x")  # a file the entry does not have
    (tmp_path / "dist/extra-dir").mkdir()
    (tmp_path / "dist/sub/b.txt").unlink()
    (tmp_path / "dist/sub/b.txt").mkdir()  # a folder where a file was
    (tmp_path / "report.txt").unlink()
    (tmp_path / "report.txt").mkdir()
    store.cache_restore(entry, tmp_path)
    assert {
        **_tree(tmp_path / "dist"),
        "report.txt": (tmp_path / "report.txt").read_text(),
    } == saved

    # a file where the folder was, and a link already right: restored, the link left alone
    (tmp_path / "dist/sub").rename(tmp_path / "sub-aside")
    (tmp_path / "dist/sub").write_text("not a folder")
    store.cache_restore(entry, tmp_path)
    assert _tree(tmp_path / "dist") == {k: v for k, v in saved.items() if k != "report.txt"}
    stats = store.cache_stats()
    assert (stats["entries"], stats["hits"]) == (1, 2) and stats["bytes"] >= 3


def test_a_missing_output_saves_no_entry_and_clean_keeps_recent_ones(tmp_path: Path) -> None:
    store = Store(tmp_path)
    (tmp_path / "out.txt").write_text("o")
    store.cache_save("partial", "s", ["out.txt", "missing.txt"], tmp_path)
    assert store.cache_lookup("partial") is None
    assert [p.name for p in store.cache_dir.iterdir()] == []  # nothing left half-built
    store.cache_save("old", "s", ["out.txt"], tmp_path)
    store.cache_save("new", "s", ["out.txt"], tmp_path)
    with store.transaction() as tx:
        tx.execute(
            "UPDATE cache_entries SET last_used = ? WHERE key = 'old'", (time.time() - 7200,)
        )
    assert store.cache_clean(older_than=3600) == 1
    assert store.cache_lookup("old") is None and store.cache_lookup("new") is not None
    assert store.cache_clean() == 1
    assert store.cache_stats()["entries"] == 0


def test_run_lock_nests_refuses_and_queues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    monkeypatch.delenv("SHIPYARD_RUN_LOCK", raising=False)
    store = Store(tmp_path)
    with store.run_lock() as outer:
        assert os.environ["SHIPYARD_RUN_LOCK"] == str(outer.path)
        with store.run_lock(wait=False):  # a run inside a stage of this run: the same lock
            pass
        assert os.environ["SHIPYARD_RUN_LOCK"] == str(outer.path)
    assert "SHIPYARD_RUN_LOCK" not in os.environ

    # another run holds it (flock is per open file, so a second descriptor competes)
    other = os.open(outer.path, os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX)
    os.ftruncate(other, 0)
    os.pwrite(other, b"4242", 0)
    with pytest.raises(UsageError) as exc, store.run_lock(wait=False):
        pass
    assert exc.value.message == "another shipyard run (pid 4242) is running in this worktree"
    said: list[str] = []

    def waiting(message: str) -> None:
        said.append(message)
        os.close(other)  # the other run ends while this one waits

    with store.run_lock(waiting=waiting):
        assert outer.path.read_text() == str(os.getpid())
    assert said == [
        "another shipyard run (pid 4242) is running in this worktree; waiting for it to finish…"
    ]


def test_interrupted_transaction_is_undone_and_unwritable_log_is_ignored(tmp_path: Path) -> None:
    store = Store(tmp_path)
    db = store.db
    db.execute("BEGIN")
    db.execute("INSERT INTO cache_entries VALUES ('torn', 's', 0, 0, 0, 0)")
    with store.transaction() as tx:  # left open by an interrupt: rolled back, then a new one
        tx.execute("INSERT INTO cache_entries VALUES ('whole', 's', 0, 0, 0, 0)")
    keys = [r[0] for r in db.execute("SELECT key FROM cache_entries")]
    assert keys == ["whole"]

    (store.dir / "logs").write_text("a file where the log folder goes")
    path = store.log_error({"error": "boom"})  # never raises: it runs while handling a failure
    assert path == store.dir / "logs" / "error.log" and not path.exists()
