"""No stage process outlives its run: not after `kill -9` of shipyard (the guardian), not after
shipyard and its guardian are both killed (the next run, from the store), not a background
child of a passing stage."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli


def _marked(mark: str) -> list[int]:
    """Live (not zombie) processes whose environment holds ORPHAN_MARK=mark."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            env = (entry / "environ").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if f"ORPHAN_MARK={mark}".encode() in env and state != "Z":
            found.append(int(entry.name))
    return found


def _until(predicate: object, what: str, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen")
        time.sleep(0.1)


def _start(repo: GitRepo) -> tuple[subprocess.Popen[bytes], str]:
    mark = uuid.uuid4().hex
    repo.write(
        "shipyard.toml",
        f"""[stages.a]
run = "sh -c 'sleep 300 & sleep 300 & touch a.started; wait'"
env = {{ ORPHAN_MARK = "{mark}" }}
[stages.b]
run = "sh -c 'sleep 300 & touch b.started; wait'"
env = {{ ORPHAN_MARK = "{mark}" }}
""",
    )
    repo.commit("init")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    p = subprocess.Popen(
        [sys.executable, "-m", "shipyard", "run"],
        cwd=repo.path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = lambda: all((repo.path / f"{s}.started").exists() for s in "ab")  # noqa: E731
    _until(started, "both stages starting")
    _until(lambda: len(_marked(mark)) >= 5, "the stage processes starting")
    return p, mark


def _guardian_of(pid: int) -> int:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat[1]) == pid and b"-I\0-S\0-c" in cmd:
                return int(entry.name)
    raise AssertionError("no guardian process")


@pytest.mark.slow
def test_kill_9_of_shipyard_leaves_no_stage_process(repo: GitRepo) -> None:
    p, mark = _start(repo)
    p.send_signal(signal.SIGKILL)
    p.wait()
    _until(lambda: _marked(mark) == [], "the stage processes ending")


@pytest.mark.slow
def test_the_next_run_kills_what_a_killed_run_and_its_guardian_left(repo: GitRepo) -> None:
    p, mark = _start(repo)
    guardian = _guardian_of(p.pid)
    os.kill(guardian, signal.SIGKILL)
    p.send_signal(signal.SIGKILL)
    p.wait()
    time.sleep(0.5)  # not an assertion on time: give a wrongly surviving guardian a chance
    assert len(_marked(mark)) >= 5  # both killed: the stage processes are still there
    repo.write("shipyard.toml", '[stages.c]\nrun = "true"\n')
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert "stopped 2 process group(s) left running by a killed run" in r.stderr
    _until(lambda: _marked(mark) == [], "the leftover processes ending", limit=10)


def test_background_children_of_a_passing_stage_do_not_outlive_the_run(repo: GitRepo) -> None:
    mark = uuid.uuid4().hex
    repo.write(
        "shipyard.toml",
        f'[stages.a]\nrun = "sleep 300 & echo started"\nenv = {{ ORPHAN_MARK = "{mark}" }}\n',
    )
    repo.commit("init")
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert _marked(mark) == []  # checked right after the run: nothing is left to wait for
