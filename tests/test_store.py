"""The store: migrations per family, refusal of a newer schema, atomic writes, killed runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shipyard.errors import UsageError
from shipyard.store import Store, write_atomic
from tests.conftest import GitRepo, run_cli


def test_family_migrations_apply_once_and_in_order(tmp_path: Path) -> None:
    store = Store(tmp_path)
    migrations = ("CREATE TABLE t (a INTEGER)", "ALTER TABLE t ADD COLUMN b TEXT")
    store.ensure_schema("demo", migrations[:1])
    store.close()
    again = Store(tmp_path)
    again.ensure_schema("demo", migrations)
    again.ensure_schema("demo", migrations)
    cols = [r[1] for r in again.db.execute("PRAGMA table_info(t)")]
    assert cols == ["a", "b"]
    versions = again.db.execute(
        "SELECT version FROM schema_migrations WHERE family = 'demo'"
    ).fetchall()
    assert [v[0] for v in versions] == [1, 2]


def test_a_store_from_a_newer_shipyard_is_refused(tmp_path: Path) -> None:
    Store(tmp_path).ensure_schema("demo", ("CREATE TABLE t (a)", "CREATE TABLE u (a)"))
    with pytest.raises(UsageError) as exc:
        Store(tmp_path).ensure_schema("demo", ("CREATE TABLE t (a)",))
    assert exc.value.message == (
        f"the run store {tmp_path / '.shipyard' / 'shipyard.db'} was written by a newer "
        "shipyard (demo schema 2, this one knows 1)"
    )


def test_state_dir_is_tagged_and_ignored(tmp_path: Path) -> None:
    Store(tmp_path).db  # noqa: B018 - opening creates the folder
    assert (
        (tmp_path / ".shipyard" / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert (tmp_path / ".shipyard" / ".gitignore").read_text().endswith("*\n")


def test_write_atomic_replaces_whole_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "a" / "f.txt"
    write_atomic(target, "one")
    target.chmod(0o600)
    write_atomic(target, b"two")
    assert target.read_text() == "two"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]


def test_a_run_killed_hard_shows_as_killed(repo: GitRepo) -> None:
    repo.write("shipyard.toml", '[stages.hang]\nrun = "echo $$ > started; sleep 300"\n')
    repo.commit("init")
    p = subprocess.Popen(
        [sys.executable, "-m", "shipyard", "run"],
        cwd=repo.path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 20
    started = repo.path / "started"
    while not (started.exists() and started.read_text().strip()):
        assert time.monotonic() < deadline
        time.sleep(0.05)
        time.sleep(0.05)
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    os.killpg(int(started.read_text()), signal.SIGKILL)  # the orphaned stage
    runs = json.loads(run_cli("runs", "--json", cwd=repo.path).stdout)["runs"]
    assert runs[0]["result"] == "killed"
    # the store is still usable: the next run is recorded normally
    repo.write("shipyard.toml", '[stages.ok]\nrun = "true"\n')
    assert run_cli("run", cwd=repo.path).returncode == 0
    assert (
        json.loads(run_cli("runs", "--json", cwd=repo.path).stdout)["runs"][0]["result"] == "passed"
    )


def test_a_corrupt_store_is_a_clear_error(repo: GitRepo) -> None:
    repo.write("shipyard.toml", '[stages.ok]\nrun = "true"\n')
    (repo.path / ".shipyard").mkdir()
    (repo.path / ".shipyard" / "shipyard.db").write_bytes(b"not a database" * 100)
    r = run_cli("runs", cwd=repo.path)
    assert r.returncode == 2
    assert r.stderr.startswith(
        f"error: the run store {repo.path / '.shipyard' / 'shipyard.db'} "
        "cannot be opened: file is not a database"
    )
