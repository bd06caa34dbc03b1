"""`shipyard bench` end to end: real git repositories, real commands, the real CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shipyard.bench.interface import Direction, Series
from shipyard.bench.results import Run, write
from tests.conftest import GitRepo, run_cli

ENV = {"SHIPYARD_BENCH_MACHINE": "testbox"}
# a loaded shared machine is noisier than the 5 % prior: the tests must not flake on it
CONFIG = """
[bench]
noise = "15%"
[bench.nap]
command = "sleep {nap}"
runs = 3
warmup = 0
"""


def bench(repo: GitRepo, *args: str, env: dict[str, str] | None = None) -> tuple[int, dict]:
    result = run_cli("bench", "run", "--json", *args, cwd=repo.path, env={**ENV, **(env or {})})
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def status(data: dict, key: str) -> str:
    return next(b["status"] for b in data["benchmarks"] if b["key"] == key)


@pytest.mark.slow
def test_injected_regression_fails_once_then_is_the_new_level(repo: GitRepo) -> None:
    repo.write("shipyard.toml", CONFIG.format(nap="0.05"))
    repo.commit("init")
    rc, first = bench(repo)
    assert rc == 0 and status(first, "nap") == "new" and first["on_base"]
    assert first["benchmarks"][0]["note"] == (
        "not in the baseline: no run of 'nap' on machine testbox along HEAD yet"
    )
    rc, again = bench(repo)  # a re-run is judged against the runs before its commit: none
    assert rc == 0 and status(again, "nap") == "new"
    repo.commit("unchanged", allow_empty=True)
    rc, again = bench(repo)
    assert rc == 0 and status(again, "nap") == "ok"
    # 20x: calibration stays on (its series is checked below) and may withdraw a flag that a
    # busier machine explains; a 5x slow-down of a sleep was withdrawn once under CI's load
    repo.write("shipyard.toml", CONFIG.format(nap="1.0"))
    repo.commit("slow down")
    rc, slow = bench(repo)
    nap = next(b for b in slow["benchmarks"] if b["key"] == "nap")
    assert rc == 1 and nap["status"] == "fail" and nap["failed"]
    assert nap["ratio"] > 3 and nap["ci"][0] > 1.5 and nap["note"].startswith("re-measured")
    repo.commit("unrelated", allow_empty=True)
    rc, after = bench(repo)  # accepted on the base branch: no repeat alert
    assert rc == 0 and status(after, "nap") == "ok"
    files = sorted((repo.path / ".bench" / "testbox").iterdir())
    last = json.loads(files[-1].read_text())
    assert len(files) == 5 and last["base"] is True and "cpus" in last["machine_info"]
    assert [(x["bench"], x["metric"]) for x in last["series"]][:2] == [
        ("shipyard.calibration", "wall"),
        ("nap", "wall"),
    ]


@pytest.mark.slow
def test_peak_memory_growth_is_caught(repo: GitRepo) -> None:
    py = sys.executable
    config = (
        '[bench]\nnoise = "15%"\n[bench.tiny]\ncommand = "{py} -c \'{code}\'"\n'
        "runs = 2\nwarmup = 0\n"
    )
    repo.write("shipyard.toml", config.format(py=py, code="pass"))
    repo.commit("init")
    assert bench(repo)[0] == 0
    grow = "x = bytearray(300_000_000); x[::4096] = bytes(len(x[::4096]))"
    repo.write("shipyard.toml", config.format(py=py, code=grow))
    repo.commit("grow")
    rc, data = bench(repo)
    mem = next(b for b in data["benchmarks"] if b["key"] == "tiny:peak_rss")
    assert rc == 1 and mem["status"] == "fail" and mem["unit"] == "B" and mem["ratio"] > 3


def test_branch_is_compared_with_the_base_branch(repo: GitRepo, tmp_path: Path) -> None:
    repo.write("shipyard.toml", CONFIG.format(nap="0.02") + 'target = "1s"\n')
    repo.commit("init")
    assert bench(repo)[0] == 0
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("shipyard.toml", CONFIG.format(nap="0.02") + 'target = "10ms"\n')
    repo.commit("tighter target")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    rc, data = bench(
        repo, "--markdown", str(tmp_path / "pr.md"), env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    nap = next(b for b in data["benchmarks"] if b["key"] == "nap")
    assert (data["base"], data["on_base"], nap["baseline_runs"]) == ("main", False, 1)
    assert rc == 1 and nap["target_missed"] and nap["target"] == 0.01
    pr = (tmp_path / "pr.md").read_text()
    assert pr.startswith("### ❌ Benchmarks regressed\n")
    assert "| `nap` |" in pr and "target missed (> 10 ms)" in pr
    assert summary.read_text() == "earlier step\n" + pr


def test_terminal_table(repo: GitRepo) -> None:
    repo.write(
        "shipyard.toml",
        CONFIG.format(nap="0.01").replace("[bench]\n", "[bench]\ncalibrate = false\n"),
    )
    repo.commit("init")
    result = run_cli("bench", "run", "--no-record", cwd=repo.path, env=ENV)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("on main, machine testbox: compared with its own previous runs")
    assert lines[1].split() == ["benchmark", "before", "after", "ratio", "[95%", "CI]", "verdict"]
    assert not (repo.path / ".bench").exists()


def test_history_names_the_step_and_writes_a_dashboard(repo: GitRepo, tmp_path: Path) -> None:
    repo.write("shipyard.toml", '[bench.start]\ncommand = "true"\ntarget = "1s"\n')
    commits = [repo.commit("init")]
    commits += [repo.commit(f"c{i}", allow_empty=True) for i in range(1, 40)]
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i, sha in enumerate(commits):
        level = 0.1 * (1.08 if i >= 25 else 1.0)  # a +8 % step: under any alert threshold
        samples = tuple(level * (1 + 0.01 * ((i * 7 + k * 3) % 5 - 2)) for k in range(5))
        run = Run(
            sha,
            "main",
            when.isoformat(),
            "testbox",
            (Series("start", "wall", "s", Direction.SMALLER, samples),),
        )
        write(repo.path / ".bench", run, when + dt.timedelta(minutes=i))
    page = tmp_path / "site" / "index.html"
    result = run_cli("bench", "history", "--json", "--html", str(page), cwd=repo.path, env=ENV)
    assert result.returncode == 0, result.stderr
    (series,) = json.loads(result.stdout)["series"]
    (step,) = series["change_points"]
    assert step["commit"] == commits[25] and 0.07 < step["change"] < 0.09
    html = page.read_text()
    assert html.count("<svg") == 1 and "<script" not in html and "http" not in html
    assert f"{commits[25][:8]} +8.0%" in html and "target</text>" in html
    table = run_cli("bench", "history", cwd=repo.path, env=ENV).stdout
    assert f"{commits[25][:10]} +8.0%" in table


@pytest.mark.parametrize(
    ("config", "args", "message"),
    [
        ("", ("run",), "error: no benchmarks defined"),
        (
            '[bench.a]\ncommand = "true"\n',
            ("run", "b"),
            "error: no benchmark named 'b' (benchmarks: a)",
        ),
        (
            '[bench.a]\nresults = "r.json"\nformat = "hyperfine"\ncommand = "echo {} > r.json"\n',
            ("run",),
            "error: r.json: expected a list under 'results'",
        ),
        (
            '[bench.a]\nresults = "r.json"\nformat = "hyperfine"\n'
            'command = "echo \'{\\"results\\": [{\\"command\\": \\"x\\", '
            '\\"times\\": []}]}\' > r.json"\n',
            ("run",),
            "error: benchmark 'a': a/x has no samples",
        ),
    ],
)
def test_bad_input_exits_2(repo: GitRepo, config: str, args: tuple[str, ...], message: str) -> None:
    repo.write("shipyard.toml", config or "[bench]\n")
    repo.commit("init")
    result = run_cli("bench", *args, cwd=repo.path, env=ENV)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == message


def test_history_from_a_newer_shipyard_is_refused(repo: GitRepo) -> None:
    repo.write("shipyard.toml", '[bench.a]\ncommand = "true"\nruns = 1\n')
    sha = repo.commit("init")
    repo.write(
        f".bench/testbox/{sha}-20260101T000000.000000Z.json",
        '{"schema": 2, "shipyard": "2.0", "series": []}',
    )
    result = run_cli("bench", "run", cwd=repo.path, env=ENV)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: .bench/testbox/{sha}-20260101T000000.000000Z.json: written by a newer shipyard"
        " (2.0, result schema 2; this one reads schema 1)",
        "  hint: upgrade shipyard (pip install -U shipyard) to read this history",
    ]


def test_outside_git(tmp_path: Path) -> None:
    (tmp_path / "shipyard.toml").write_text('[bench.a]\ncommand = "true"\n')
    result = run_cli("bench", "run", cwd=tmp_path, env=ENV)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == f"error: {tmp_path} is not in a git repository"


def test_branch_reads_the_base_branch_results_from_git(repo: GitRepo) -> None:
    repo.write("shipyard.toml", CONFIG.format(nap="0.01"))
    first = repo.commit("init")
    assert bench(repo)[0] == 0
    repo.commit("record results", ".bench")  # committed on main only
    repo.git("checkout", "-q", "-b", "old-feature", first)
    assert not (repo.path / ".bench").exists()
    rc, data = bench(repo, "--no-record")
    nap = next(b for b in data["benchmarks"] if b["key"] == "nap")
    assert rc == 0 and nap["baseline_runs"] == 1 and nap["status"] != "new"


def test_an_interrupted_run_leaves_the_history_untouched(repo: GitRepo) -> None:
    repo.write(
        "shipyard.toml",
        '[bench]\ncalibrate = false\n[bench.long]\ncommand = "echo $$ > pid; exec sleep 30"\n',
    )
    repo.commit("init")
    child = subprocess.Popen(
        [sys.executable, "-m", "shipyard", "bench", "run"],
        cwd=repo.path,
        env={**os.environ, **ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    pid_file = repo.path / "pid"
    deadline = time.monotonic() + 120  # a loaded shared machine starts slowly
    while not (pid_file.exists() and pid_file.read_text().strip()):
        assert time.monotonic() < deadline and child.poll() is None, "the benchmark never started"
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=30)
    assert child.returncode == 130 and err.strip() == "interrupted"
    assert not (repo.path / ".bench").exists()
    with pytest.raises(ProcessLookupError):  # the benchmark's process was stopped too
        os.kill(int(pid_file.read_text()), 0)
