"""Tree hashes remembered by stat data (pipeline/statcache.py), on real files and real git."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shipyard.pipeline import statcache
from shipyard.pipeline.cache import TreeState
from shipyard.store import Store
from tests.conftest import GitRepo, run_cli


def _age(path: Path) -> None:
    """Pretend the file was last written an hour ago (ctime stays now: see `_old_enough`)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 3600 * 10**9))


@pytest.fixture
def _old_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files a test just wrote count as not racy (their ctime cannot be set back)."""
    monkeypatch.setattr(statcache, "RACY_NS", -(10**12))


@pytest.mark.usefixtures("_old_enough")
def test_untracked_hashes_match_git_and_are_remembered_by_stat(repo: GitRepo) -> None:
    repo.write("tracked.txt", "t\n")
    repo.commit("init")
    data = [repo.write(f"data/f{i}.txt", f"row {i}\n") for i in range(5)]
    repo.write("tracked.txt", "t, edited\n")
    store = Store(repo.path)
    tree = TreeState.scan(repo.path, store)
    for p in [*data, repo.path / "tracked.txt"]:
        rel = p.relative_to(repo.path).as_posix()
        assert tree.hashes[rel] == repo.git("hash-object", rel).strip(), rel

    # a remembered entry is trusted while the stat data is the same: seed a marker to see it
    store.db.execute("UPDATE stat_cache SET hash = 'remembered' WHERE path = 'data/f0.txt'")
    again = TreeState.scan(repo.path, store).hashes
    assert again["data/f0.txt"] == "remembered"
    assert again["data/f1.txt"] == tree.hashes["data/f1.txt"]
    # the modified tracked file goes through git (filters apply), never through the table
    rows = {r[0] for r in store.db.execute("SELECT path FROM stat_cache")}
    assert rows == {f"data/f{i}.txt" for i in range(5)}

    # same size, other content, other mtime: read again
    data[0].write_text("row 9\n")
    _age(data[0])
    third = TreeState.scan(repo.path, store).hashes
    assert third["data/f0.txt"] == repo.git("hash-object", "data/f0.txt").strip()


def test_recently_changed_files_are_not_remembered(repo: GitRepo) -> None:
    """A file changed within the last seconds could change again in the same clock tick."""
    repo.write("shipyard.toml", "")
    repo.commit("init")
    repo.write("new.txt", "fresh\n")
    store = Store(repo.path)
    assert "new.txt" in TreeState.scan(repo.path, store).hashes
    assert store.db.execute("SELECT COUNT(*) FROM stat_cache").fetchone()[0] == 0


@pytest.mark.usefixtures("_old_enough")
def test_plain_folder_and_stale_rows_rewritten(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    for i in range(6):
        (root / "d").mkdir(parents=True, exist_ok=True)
        (root / "d" / f"{i}.txt").write_text(str(i))
    (root / "node_modules").mkdir()
    (root / "node_modules" / "skip.js").write_text("x")
    store = Store(root, tmp_path / "state")
    hashes = TreeState.scan(root, store).hashes
    assert sorted(hashes) == [f"d/{i}.txt" for i in range(6)]
    assert hashes["d/0.txt"] == statcache.sha256(b"0")
    for i in range(1, 6):  # most of what the table holds leaves the tree
        (root / "d" / f"{i}.txt").unlink()
    (root / "d" / "new.txt").write_text("n")
    assert sorted(TreeState.scan(root, store).hashes) == ["d/0.txt", "d/new.txt"]
    rows = sorted(
        r[0] for r in store.db.execute("SELECT path FROM stat_cache WHERE kind = 'sha256'")
    )
    assert rows == ["d/0.txt", "d/new.txt"]


def test_run_sees_an_edit_of_a_remembered_untracked_input(repo: GitRepo) -> None:
    """End to end through the CLI: a second run hits the cache, an edit to an untracked
    input misses it."""
    repo.write("shipyard.toml", '[stages.use]\nrun = "cat data/*.txt > out.txt"\n'
               'inputs = ["data/**"]\noutputs = ["out.txt"]\n')  # fmt: skip
    repo.write(".gitignore", ".shipyard/\nout.txt\n")
    repo.commit("init")
    for i in range(3):
        _age(repo.write(f"data/{i}.txt", f"{i}\n"))
    assert '"status": "passed"' in run_cli("run", "--json", cwd=repo.path).stdout
    assert '"status": "cached"' in run_cli("run", "--json", cwd=repo.path).stdout
    repo.write("data/1.txt", "one, changed\n")
    assert '"status": "passed"' in run_cli("run", "--json", cwd=repo.path).stdout
    assert (repo.path / "out.txt").read_text() == "0\none, changed\n2\n"
