"""The cache and the run store under attack and under load: paths outside the project, links
on the way of a restore, four runs at once in one worktree, an internal error mid-run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli


def _definition(repo: GitRepo, body: str) -> None:
    repo.write("shipyard.toml", body)
    repo.write("src/a.txt", "a\n")
    repo.commit("init")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("outputs", "../../x", "'../../x' is outside the project"),
        ("outputs", "/tmp/x", "'/tmp/x' is outside the project"),
        ("outputs", ".", "'.' is the whole project (.shipyard/ and .git/ included)"),
        ("outputs", ".shipyard/cache", "'.shipyard/cache' is inside .git/ or .shipyard/"),
        ("inputs", "../*", "'../*' is outside the project"),
    ],
)
def test_inputs_and_outputs_must_stay_inside_the_project(
    repo: GitRepo, key: str, value: str, message: str
) -> None:
    other = "inputs" if key == "outputs" else "outputs"
    _definition(repo, f'[stages.b]\nrun = "true"\n{key} = ["{value}"]\n{other} = ["src/a.txt"]\n')
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 2
    assert r.stderr.startswith(f"error: {repo.path / 'shipyard.toml'}: stages.b.{key}: {message}")
    assert "Traceback" not in r.stderr


BUILD = '[stages.b]\nrun = "mkdir -p out && echo built > out/f"\ninputs = ["src/*"]\n'


def test_a_restore_never_writes_or_deletes_through_a_link(repo: GitRepo, tmp_path: Path) -> None:
    _definition(repo, BUILD + 'outputs = ["out"]\n')
    assert run_cli("run", cwd=repo.path).returncode == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep").write_text("precious\n")
    subprocess.run(["rm", "-rf", str(repo.path / "out")], check=True)
    (repo.path / "out").symlink_to(outside)
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert "b cached" in r.stdout
    assert (outside / "keep").read_text() == "precious\n" and sorted(os.listdir(outside)) == [
        "keep"
    ]
    assert not (repo.path / "out").is_symlink() and (repo.path / "out" / "f").read_text() == (
        "built\n"
    )


def test_a_restore_through_a_linked_folder_is_refused(repo: GitRepo, tmp_path: Path) -> None:
    _definition(repo, BUILD + 'outputs = ["out/f"]\n')
    assert run_cli("run", cwd=repo.path).returncode == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    subprocess.run(["rm", "-rf", str(repo.path / "out")], check=True)
    (repo.path / "out").symlink_to(outside)
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 2
    assert "error: the cached output 'out/f' would be restored outside the project" in r.stderr
    assert list(outside.iterdir()) == []


def _popen(repo: GitRepo, *args: str, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    with log.open("wb") as fh:
        return subprocess.Popen(
            [sys.executable, "-m", "shipyard", "run", *args],
            cwd=repo.path,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


def _wait_for(predicate: object, what: str, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen")
        time.sleep(0.05)


def test_a_second_run_waits_for_the_first_or_fails_with_no_wait(
    repo: GitRepo, tmp_path: Path
) -> None:
    _definition(repo, '[stages.b]\nrun = "touch started; while [ ! -e go ]; do sleep 0.05; done"\n')
    first = _popen(repo, log=tmp_path / "first.log")
    _wait_for(lambda: (repo.path / "started").exists(), "the first run's stage")
    r = run_cli("run", "--no-wait", cwd=repo.path)
    assert r.returncode == 2
    assert r.stderr.startswith(
        f"error: another shipyard run (pid {first.pid}) is running in this worktree\n"
    )
    second_log = tmp_path / "second.log"
    second = _popen(repo, log=second_log)
    _wait_for(lambda: b"waiting for it to finish" in second_log.read_bytes(), "the message")
    (repo.path / "go").touch()
    assert first.wait(60) == 0 and second.wait(60) == 0
    runs = json.loads(run_cli("runs", "--json", cwd=repo.path).stdout)["runs"]
    assert [r["result"] for r in runs] == ["passed", "passed"]


@pytest.mark.slow
def test_four_concurrent_runs_never_publish_a_partial_entry(repo: GitRepo, tmp_path: Path) -> None:
    # without the lock, runs rewriting dist/ at once saved one another's half-made output (an
    # empty dist/out) and every later run restored it. The first stage holds until `go`
    # exists, so the other three runs either queue behind the lock (each says so) or, with no
    # lock, start their own stage: the test sees which one, however fast the machine is.
    starts = tmp_path / "starts"
    _definition(
        repo,
        f'[stages.b]\nrun = "echo $$ >> {starts}; while [ ! -e go ]; do sleep 0.05; done; '
        'rm -rf dist && mkdir dist && sleep 0.3 && echo full > dist/out"\n'
        'inputs = ["src/*"]\noutputs = ["dist"]\n',
    )
    logs = [tmp_path / f"{i}.log" for i in range(4)]
    procs = [_popen(repo, log=log) for log in logs]

    def started() -> int:
        return len(starts.read_text().split()) if starts.exists() else 0

    def queued() -> int:
        return sum(b"waiting for it to finish" in log.read_bytes() for log in logs)

    _wait_for(lambda: started() > 1 or (started(), queued()) == (1, 3), "a stage or the queue")
    assert (started(), queued()) == (1, 3), "two stages ran at once: the run lock did not hold"
    (repo.path / "go").touch()
    assert [p.wait(120) for p in procs] == [0, 0, 0, 0]
    assert started() == 1  # the three queued runs restored the first run's entry
    entries = [e for e in (repo.path / ".shipyard" / "cache").iterdir() if e.name[0] != "."]
    assert len(entries) == 1
    assert (entries[0] / "files" / "dist" / "out").read_text() == "full\n"
    subprocess.run(["rm", "-rf", str(repo.path / "dist")], check=True)
    assert run_cli("run", cwd=repo.path).returncode == 0
    assert (repo.path / "dist" / "out").read_text() == "full\n"


def test_an_internal_error_is_recorded_as_errored_never_passed(repo: GitRepo) -> None:
    # a FIFO cannot be copied into the cache: shutil raises, which is a bug-class failure
    _definition(
        repo, '[stages.b]\nrun = "rm -f p && mkfifo p"\ninputs = ["src/*"]\noutputs = ["p"]\n'
    )
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 3, r.stderr
    runs = json.loads(run_cli("runs", "--json", cwd=repo.path).stdout)["runs"]
    assert [r["result"] for r in runs] == ["errored"]
