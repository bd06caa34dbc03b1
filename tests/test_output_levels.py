"""`--quiet` / `--verbose`, and the progress bars of `scan` and `bench`: drawn on a terminal
(a real pseudo-terminal from python's pty module), never in a pipe, with --quiet or a JSON
document."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli

BAR = "━"  # rich's bar
ANSI = "\x1b["


def in_terminal(*args: str, cwd: Path, timeout: float = 120) -> tuple[int, str]:
    """Run the real shipyard with stdout and stderr on one pseudo-terminal: (exit code, all
    that was written, as a terminal would have received it)."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR", "GITHUB_ACTIONS")}
    env.update(TERM="xterm-256color", COLUMNS="100", LINES="40")
    proc = subprocess.Popen(
        [sys.executable, "-m", "shipyard", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        close_fds=True,
    )
    os.close(slave)
    chunks: list[bytes] = []
    try:
        while True:
            ready, _, _ = select.select([master], [], [], timeout)
            if not ready:
                proc.kill()
                raise AssertionError(f"no output for {timeout}s from shipyard {args}")
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other side closed
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    return proc.wait(timeout=timeout), b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def project(repo: GitRepo) -> GitRepo:
    repo.write(
        "shipyard.toml",
        '[bench.blink]\ncommand = "true"\nruns = 4\nwarmup = 1\n'
        '[stages.lint]\nrun = ["echo linting", "true"]\ninputs = ["src/**"]\n'
        '[stages.unit]\nrun = "echo broken-test; exit 3"\nneeds = ["lint"]\n',
    )
    for i in range(30):
        repo.write(f"src/m{i}.py", f"x = {i}\n")
    repo.commit("init")
    return repo


@pytest.mark.slow
def test_progress_bars_draw_on_a_terminal_only(project: GitRepo) -> None:
    env = {"SHIPYARD_BENCH_MACHINE": "testbox"}
    rc, shown = in_terminal("scan", "secrets", cwd=project.path)
    assert rc == 0, shown
    assert BAR in shown and "secrets" in shown and "31/31" in shown and "files" in shown
    assert shown.rstrip().endswith("secrets: passed (0 finding(s))")  # the report follows

    rc, shown = in_terminal("bench", "run", "--no-record", cwd=project.path)
    assert rc == 0, shown
    assert "bench blink" in shown and "5/5" in shown and "runs" in shown  # 1 warm-up + 4 runs

    # the same commands in a pipe: no bar, no escape sequence
    piped = run_cli("scan", "secrets", cwd=project.path)
    assert piped.returncode == 0 and BAR not in piped.stdout + piped.stderr
    assert ANSI not in piped.stdout + piped.stderr
    piped = run_cli("bench", "run", "--no-record", cwd=project.path, env=env)
    assert piped.returncode == 0 and BAR not in piped.stdout + piped.stderr

    # on a terminal, a JSON document or --quiet turns them off too
    rc, shown = in_terminal("scan", "--format", "json", "secrets", cwd=project.path)
    assert rc == 0 and BAR not in shown
    assert json.loads(shown)["passed"] is True  # the whole output is the document
    rc, shown = in_terminal("bench", "run", "--no-record", "--json", cwd=project.path)
    assert rc == 0 and BAR not in shown
    json.loads(shown)  # the whole output is the document
    rc, shown = in_terminal("--quiet", "scan", "secrets", cwd=project.path)
    assert rc == 0 and BAR not in shown


def test_quiet_keeps_failures_and_the_verdict_verbose_adds_commands_and_keys(
    project: GitRepo,
) -> None:
    project.write(
        "report.xml",
        '<testsuite tests="2" failures="1" time="0.5"><testcase classname="c" name="ok"/>'
        '<testcase classname="c" name="bad"><failure message="boom"/></testcase></testsuite>\n',
    )
    toml = (project.path / "shipyard.toml").read_text()
    toml = toml.replace(
        'run = "echo broken-test; exit 3"',
        'run = "cp report.xml junit.xml; echo broken-test; exit 3"\n'
        'reports = { junit = "junit.xml" }',
    )
    project.write("shipyard.toml", toml + '[gates.tests]\ntime = "1h"\n')
    project.commit("gates")
    normal = run_cli("run", cwd=project.path)
    assert normal.returncode == 1
    assert "▶ lint" in normal.stdout and "stage" in normal.stdout  # progress and the table
    assert "tests.time" in normal.stdout and "tests.failures" in normal.stdout  # gate table

    quiet = run_cli("run", "--quiet", cwd=project.path)  # after the command works too
    assert quiet.returncode == 1
    lines = quiet.stdout.splitlines()
    assert not [ln for ln in lines if ln.startswith(("▶", "✓"))], quiet.stdout
    assert "✗ unit failed" in quiet.stdout and "broken-test" in quiet.stdout  # the failure
    assert lines[-1].startswith("run 2 failed in ")  # the verdict, without the table
    assert not [ln for ln in lines if ln.startswith("stage ")]
    gates = [ln for ln in lines if ln.startswith("tests.")]  # the gate table: failures only
    assert len(gates) == 1 and gates[0].split()[0] == "tests.failures", quiet.stdout
    assert gates[0].split()[-1] == "FAIL"
    assert "quality gates failed" in quiet.stdout  # the gates' verdict stays

    verbose = run_cli("-v", "run", cwd=project.path)
    assert verbose.returncode == 1
    assert "  $ echo linting" in verbose.stdout and "  $ exit 3" not in verbose.stdout
    assert "  $ cp report.xml junit.xml; echo broken-test; exit 3" in verbose.stdout
    assert "  cache hit: key " in verbose.stdout  # lint's inputs did not change
    assert "  log: " in verbose.stdout

    both = run_cli("--quiet", "run", "--verbose", cwd=project.path)
    assert (both.returncode, both.stderr) == (
        2,
        "error: --quiet and --verbose contradict each other: give one\n",
    )
    listed = run_cli("-q", "runs", "--json", cwd=project.path)  # no progress to hide: the same
    assert listed.returncode == 0
    assert json.loads(listed.stdout) == json.loads(
        run_cli("runs", "--json", cwd=project.path).stdout
    )
