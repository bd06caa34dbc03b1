"""`shipyard run` on real repositories with real processes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli

WAIT_FOR = "for i in $(seq 100); do [ -f {f} ] && exit 0; sleep 0.05; done; exit 1"


def pipeline(repo: GitRepo, text: str) -> None:
    repo.write("shipyard.toml", text)
    repo.write("src/app.py", "print('hi')\n")
    repo.commit("init")


def run_json(repo: GitRepo, *args: str) -> dict:  # type: ignore[type-arg]
    r = run_cli("run", "--json", *args, cwd=repo.path)
    assert r.returncode in (0, 1), r.stderr
    data = json.loads(r.stdout)
    data["_rc"] = r.returncode
    return data


def statuses(data: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {s["name"]: s["status"] for s in data["stages"]}


def test_dag_order_and_needs(repo: GitRepo) -> None:
    pipeline(
        repo,
        """
[stages.build]
run = "echo build >> order.txt"
needs = ["lint"]
[stages.lint]
run = "echo lint >> order.txt"
[stages.test]
run = "echo test >> order.txt"
needs = ["build"]
""",
    )
    data = run_json(repo)
    assert data["result"] == "passed"
    assert (repo.path / "order.txt").read_text().split() == ["lint", "build", "test"]


def test_independent_stages_run_in_parallel(repo: GitRepo) -> None:
    # each stage waits for the other's marker: only passes when both run at once
    pipeline(
        repo,
        f"""
[stages.a]
run = "touch a.started; {WAIT_FOR.format(f="b.started")}"
[stages.b]
run = "touch b.started; {WAIT_FOR.format(f="a.started")}"
""",
    )
    assert statuses(run_json(repo, "--jobs", "2")) == {"a": "passed", "b": "passed"}
    for f in ("a.started", "b.started"):
        (repo.path / f).unlink()
    data = run_json(repo, "--jobs", "1")  # one at a time: the first never sees the second
    assert data["_rc"] == 1
    assert "failed" in statuses(data).values()


def test_named_stage_runs_with_what_it_needs(repo: GitRepo) -> None:
    pipeline(
        repo,
        """
[stages.lint]
run = "true"
[stages.build]
run = "true"
needs = ["lint"]
[stages.docs]
run = "true"
""",
    )
    assert list(statuses(run_json(repo, "build"))) == ["lint", "build"]


def test_critical_failure_blocks_dependents_and_cancels_the_rest(repo: GitRepo) -> None:
    pipeline(
        repo,
        """
[stages.fail]
run = "exit 4"
[stages.after]
run = "true"
needs = ["fail"]
[stages.slow]
run = "sleep 20"
""",
    )
    data = run_json(repo, "--jobs", "2")
    stages = {s["name"]: s for s in data["stages"]}
    assert stages["fail"]["status"] == "failed" and stages["fail"]["exit_code"] == 4
    assert stages["after"]["status"] == "blocked"
    assert stages["after"]["reason"] == "needs fail, which did not pass"
    assert stages["slow"]["status"] == "cancelled"
    assert data["_rc"] == 1


def test_keep_going_runs_independent_stages(repo: GitRepo) -> None:
    pipeline(
        repo,
        """
[stages.fail]
run = "exit 1"
[stages.after]
run = "true"
needs = ["fail"]
[stages.other]
run = "sleep 0.5"
""",
    )
    data = run_json(repo, "--jobs", "2", "--keep-going")
    assert statuses(data) == {"fail": "failed", "after": "blocked", "other": "passed"}


def test_non_critical_failure_does_not_fail_the_run(repo: GitRepo) -> None:
    pipeline(repo, '[stages.scan]\nrun = "exit 1"\ncritical = false\n[stages.ok]\nrun = "true"\n')
    data = run_json(repo)
    assert data["_rc"] == 0 and statuses(data) == {"scan": "failed", "ok": "passed"}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purpose
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_cancellation_leaves_no_orphan_process(repo: GitRepo) -> None:
    pipeline(
        repo,
        """
[stages.hang]
run = "sh -c 'sleep 300 & echo $! > child.pid; wait'"
[stages.fail]
run = "while [ ! -f child.pid ]; do sleep 0.05; done; exit 1"
""",
    )
    data = run_json(repo, "--jobs", "2")
    assert statuses(data) == {"hang": "cancelled", "fail": "failed"}
    pid = int((repo.path / "child.pid").read_text())
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def test_timeout_kills_the_stage_tree(repo: GitRepo) -> None:
    pipeline(
        repo,
        """
[stages.slow]
run = "sh -c 'sleep 300 & echo $! > child.pid; wait'"
timeout = "1s"
""",
    )
    data = run_json(repo)
    stage = data["stages"][0]
    assert (stage["status"], stage["reason"]) == ("timeout", "timed out after 1s")
    assert not _alive(int((repo.path / "child.pid").read_text()))


def test_ctrl_c_kills_everything_and_records_an_interrupted_run(repo: GitRepo) -> None:
    pipeline(repo, "[stages.hang]\nrun = \"sh -c 'sleep 300 & echo $! > child.pid; wait'\"\n")
    p = subprocess.Popen(
        [sys.executable, "-m", "shipyard", "run"],
        cwd=repo.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    pidfile = repo.path / "child.pid"
    deadline = time.monotonic() + 20
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=30)
    assert p.returncode == 130, err
    assert not _alive(int(pidfile.read_text()))
    runs = json.loads(run_cli("runs", "--json", cwd=repo.path).stdout)["runs"]
    assert runs[0]["result"] == "interrupted"


def test_budget_overrun_is_reported(repo: GitRepo) -> None:
    pipeline(repo, '[stages.slow]\nrun = "sleep 0.3"\nbudget = "100ms"\n')
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 0
    # the sleep takes 300 ms or more (seconds on a loaded machine): the figure is not asserted
    assert re.search(r"✓ slow passed in [\d.]+m?s — over its 100ms budget", r.stdout), r.stdout
    assert json.loads(run_cli("run", "--json", cwd=repo.path).stdout)["stages"][0]["over_budget"]


def test_failed_stage_output_is_shown_and_logged(repo: GitRepo) -> None:
    pipeline(repo, '[stages.t]\nrun = "echo something broke; exit 2"\n')
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 1
    assert "│ something broke" in r.stdout
    log = repo.path / ".shipyard" / "logs" / "1" / "t.log"
    assert "something broke" in log.read_text()


CACHED = """
[stages.build]
run = "cat src/app.py > out.txt; echo ran >> runs.log"
inputs = ["src/**"]
outputs = ["out.txt"]
"""


def test_cache_hit_restores_outputs_and_misses_after_input_change(repo: GitRepo) -> None:
    pipeline(repo, CACHED)
    assert statuses(run_json(repo)) == {"build": "passed"}
    (repo.path / "out.txt").unlink()
    assert statuses(run_json(repo)) == {"build": "cached"}
    assert (repo.path / "out.txt").read_text() == "print('hi')\n"
    assert (repo.path / "runs.log").read_text() == "ran\n"
    repo.write("src/app.py", "print('changed')\n")  # uncommitted edit: a miss
    assert statuses(run_json(repo)) == {"build": "passed"}
    repo.write("src/new.py", "")  # untracked file under inputs: a miss
    assert statuses(run_json(repo)) == {"build": "passed"}
    assert statuses(run_json(repo)) == {"build": "cached"}
    assert statuses(run_json(repo, "--no-cache")) == {"build": "passed"}


def test_cache_key_changes_with_command_and_env(repo: GitRepo) -> None:
    pipeline(repo, CACHED)
    run_json(repo)
    repo.write("shipyard.toml", CACHED + 'env = { MODE = "x" }\n')
    assert statuses(run_json(repo)) == {"build": "passed"}
    repo.write("shipyard.toml", CACHED.replace("echo ran", "echo again") + 'env = { MODE = "x" }\n')
    assert statuses(run_json(repo)) == {"build": "passed"}


def test_cache_stats_and_clean(repo: GitRepo) -> None:
    pipeline(repo, CACHED)
    run_json(repo)
    stats = json.loads(run_cli("cache", "stats", "--json", cwd=repo.path).stdout)
    assert stats["entries"] == 1
    r = run_cli("cache", "clean", cwd=repo.path)
    assert r.stdout == "removed 1 cache entry\n"
    assert statuses(run_json(repo)) == {"build": "passed"}
    r = run_cli("cache", "clean", "--older-than", "soon", cwd=repo.path)
    assert (r.returncode, r.stderr) == (
        2,
        'error: --older-than expects a duration such as "90m" or "48h", got \'soon\'\n',
    )


def test_trigger_and_changed_since_select_stages(repo: GitRepo) -> None:
    pipeline(
        repo,
        """
[stages.lint]
run = "true"
when = { changed = ["src/**"] }
[stages.docs]
run = "true"
when = { changed = ["docs/**"] }
[stages.publish]
run = "true"
when = "tag"
[stages.nightly]
run = "true"
when = { schedule = "0 3 * * *", on = [] }
""",
    )
    base = repo.git("rev-parse", "HEAD").strip()
    repo.write("src/app.py", "x = 1\n")
    repo.commit("change src")
    assert statuses(run_json(repo, "--changed-since", base)) == {
        "lint": "passed",
        "docs": "skipped",
        "publish": "skipped",
        "nightly": "skipped",
    }
    assert statuses(run_json(repo, "--trigger", "tag")) == {
        "lint": "skipped",
        "docs": "skipped",
        "publish": "passed",
        "nightly": "skipped",
    }
    assert statuses(run_json(repo, "--trigger", "schedule"))["nightly"] == "passed"
    assert statuses(run_json(repo, "publish")) == {"publish": "passed"}


def test_matrix_all_runs_cells_the_machine_has(repo: GitRepo) -> None:
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    pipeline(
        repo,
        f"""
[stages.unit]
run = "python -c 'import sys; print(sys.version_info[:2])'; echo $SHIPYARD_MATRIX_PYTHON"
matrix = {{ python = ["{here}", "9.99"] }}
""",
    )
    assert statuses(run_json(repo)) == {"unit": "passed"}
    data = run_json(repo, "--matrix", "all")
    assert statuses(data) == {f"unit[python={here}]": "passed", "unit[python=9.99]": "skipped"}
    assert data["stages"][1]["reason"] == "python 9.99 is not installed here (CI runs it)"
    assert data["_rc"] == 0


def test_dry_run_prints_the_plan_and_runs_nothing(repo: GitRepo) -> None:
    pipeline(repo, '[stages.a]\nrun = "touch ran"\n[stages.b]\nrun = "true"\nneeds = ["a"]\n')
    r = run_cli("run", "--dry-run", cwd=repo.path)
    assert r.stdout == "a: run\n    $ touch ran\nb (after a): run\n    $ true\n"
    assert not (repo.path / "ran").exists()


JUNIT = """<?xml version="1.0"?>
<testsuites><testsuite name="pytest" tests="3">
<testcase classname="tests.test_x" name="test_a" time="0.5"/>
<testcase classname="tests.test_x" name="test_b" time="0.25"><failure message="no"/></testcase>
<testcase classname="tests.test_x" name="test_c" time="0"><skipped/></testcase>
</testsuite></testsuites>
"""


def test_junit_reports_are_merged_into_the_run(repo: GitRepo) -> None:
    repo.write("tests/test_x.py", "")
    repo.write("junit.src", JUNIT)
    pipeline(
        repo, '[stages.unit]\nrun = "cp junit.src junit.xml"\nreports = { junit = "junit.xml" }\n'
    )
    run_json(repo)
    show = json.loads(run_cli("runs", "show", "1", "--json", cwd=repo.path).stdout)
    assert show["tests"] == {"tests": 3, "failures": 1, "duration": 0.75}
    merged = (repo.path / ".shipyard" / "runs" / "1" / "junit.xml").read_text()
    assert 'file="tests/test_x.py"' in merged and 'failures="1"' in merged


def test_a_truncated_junit_report_fails_the_run_it_is_recorded_in(repo: GitRepo) -> None:
    """The test index skips it with a warning; the run is still recorded, its gates evaluated
    and the tests gate fails on the report (it escaped before: no gates, no summary, the run
    left recorded as passed)."""
    repo.write("junit.src", '<testsuite tests="1"><testcase name="a"')
    pipeline(
        repo, '[stages.unit]\nrun = "cp junit.src junit.xml"\nreports = { junit = "junit.xml" }\n'
    )
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 1, r.stderr
    assert "warning: test cases not indexed: junit.xml: truncated XML at line 1" in r.stderr
    assert "run 1 failed" in r.stdout
    show = json.loads(run_cli("runs", "show", "1", "--json", cwd=repo.path).stdout)
    assert show["run"]["result"] == "failed" and show["tests"]["tests"] == 0, show


def test_runs_lists_and_shows(repo: GitRepo) -> None:
    pipeline(repo, '[stages.a]\nrun = "true"\n')
    run_json(repo)
    run_json(repo)
    r = run_cli("runs", cwd=repo.path)
    assert r.stdout.splitlines()[0].split() == [
        "id",
        "result",
        "trigger",
        "branch",
        "commit",
        "started",
        "duration",
        "stages",
    ]
    assert [ln.split()[0] for ln in r.stdout.splitlines()[2:]] == ["2", "1"]
    show = run_cli("runs", "show", "2", cwd=repo.path)
    assert show.stdout.startswith("run 2: passed · trigger local · main @ ")
    missing = run_cli("runs", "show", "9", cwd=repo.path)
    assert (missing.returncode, missing.stderr) == (
        2,
        "error: no run with id 9\n  hint: `shipyard runs` lists recorded runs\n",
    )
    assert run_cli("runs", "2", cwd=repo.path).stdout == show.stdout  # `runs 2` = `runs show 2`
    assert json.loads(run_cli("runs", "1", "--json", cwd=repo.path).stdout)["run"]["id"] == 1
    bad = run_cli("runs", "show", "last", cwd=repo.path)
    assert (bad.returncode, bad.stderr) == (
        2,
        "error: shipyard runs show last: expected a run id\n"
        "  hint: `shipyard runs` lists the runs; `shipyard runs 3` (or `runs show 3`) shows one\n",
    )


def test_two_runs_at_once_are_both_recorded(repo: GitRepo) -> None:
    pipeline(repo, '[stages.a]\nrun = "sleep 0.5"\n[stages.b]\nrun = "sleep 0.5"\n')
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "shipyard", "run", "--json"],
            cwd=repo.path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    for p in procs:
        p.communicate(timeout=60)
        assert p.returncode == 0
    runs = json.loads(run_cli("runs", "--json", cwd=repo.path).stdout)["runs"]
    assert sorted(r["id"] for r in runs) == [1, 2, 3]
    assert all(r["result"] == "passed" and r["stages"] == 2 for r in runs)


@pytest.mark.parametrize("bad", ["0", "x"])
def test_bad_jobs(repo: GitRepo, bad: str) -> None:
    pipeline(repo, '[stages.a]\nrun = "true"\n')
    r = run_cli("run", "--jobs", bad, cwd=repo.path)
    assert r.returncode == 2


def test_cache_key_follows_installed_node_packages(repo: GitRepo) -> None:
    pipeline(repo, CACHED)
    (repo.path / "node_modules").mkdir()
    lock = repo.path / "node_modules" / ".package-lock.json"
    lock.write_text('{"packages": {"node_modules/x": {"version": "1.0.0"}}}')
    run_json(repo)
    assert statuses(run_json(repo)) == {"build": "cached"}
    lock.write_text('{"packages": {"node_modules/x": {"version": "1.0.1"}}}')  # npm upgraded x
    assert statuses(run_json(repo)) == {"build": "passed"}


def test_cache_key_follows_installed_python_packages(repo: GitRepo, tmp_path: Path) -> None:
    site = tmp_path / "extra" / "site-packages"
    site.mkdir(parents=True)
    pipeline(repo, CACHED)
    env = {"PYTHONPATH": str(site)}

    def status() -> str:
        r = run_cli("run", "--json", cwd=repo.path, env=env)
        return str(json.loads(r.stdout)["stages"][0]["status"])

    assert status() == "passed"
    assert status() == "cached"
    (site / "pytest-99.0.dist-info").mkdir()  # a tool was upgraded
    assert status() == "passed"


def test_cache_restore_makes_output_folders_exact(repo: GitRepo) -> None:
    pipeline(
        repo,
        """
[stages.build]
run = "mkdir -p dist && cp src/app.py dist/app.py && echo 1 > dist/version"
inputs = ["src/**"]
outputs = ["dist"]
""",
    )
    run_json(repo)
    (repo.path / "dist" / "version").write_text("tampered\n")
    (repo.path / "dist" / "stale.txt").write_text("left over\n")
    assert statuses(run_json(repo)) == {"build": "cached"}
    assert sorted(p.name for p in (repo.path / "dist").iterdir()) == ["app.py", "version"]
    assert (repo.path / "dist" / "version").read_text() == "1\n"


def test_junit_files_are_resolved_in_the_stage_folder(repo: GitRepo) -> None:
    repo.write("pkg/tests/test_x.py", "")
    repo.write("pkg/junit.src", JUNIT)
    pipeline(
        repo,
        '[stages.unit]\nrun = "cp junit.src junit.xml"\ncwd = "pkg"\n'
        'reports = { junit = "junit.xml" }\n',
    )
    run_json(repo)
    merged = (repo.path / ".shipyard" / "runs" / "1" / "junit.xml").read_text()
    assert 'file="tests/test_x.py"' in merged


def test_cache_key_is_the_same_on_another_machine_with_the_same_tools(
    repo: GitRepo, tmp_path: Path
) -> None:
    """A fresh install (new path, new mtime, same bytes) must keep the key: CI's cache hits."""
    import shutil

    tool = tmp_path / "bin1" / "mytool"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\necho built > out.txt\n")
    tool.chmod(0o755)
    pipeline(repo, '[stages.b]\nrun = "mytool"\ninputs = ["src/**"]\noutputs = ["out.txt"]\n')

    def status(bin_dir: Path) -> str:
        env = {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
        r = run_cli("run", "--json", cwd=repo.path, env=env)
        return str(json.loads(r.stdout)["stages"][0]["status"])

    assert status(tool.parent) == "passed"
    other = tmp_path / "bin2"
    other.mkdir()
    time.sleep(0.01)
    shutil.copy(tool, other / "mytool")  # new path and mtime, same content
    assert status(other) == "cached"
    (other / "mytool").write_text("#!/bin/sh\necho v2 > out.txt\n")  # an upgrade
    assert status(other) == "passed"


def test_a_stage_that_rewrites_tracked_files_is_reported(repo: GitRepo) -> None:
    """A project whose ruff config sets `fix = true`: its lint stage 'passes' by editing code."""
    import sys

    repo.write(
        "pyproject.toml", '[project]\nname = "app"\nversion = "1.0.0"\n[tool.ruff]\nfix = true\n'
    )
    repo.write("src/a.py", "import os\n\nx = 1\n")
    pipeline(repo, f'[stages.lint]\nrun = "{sys.executable} -m ruff check src; touch made.txt"\n')
    data = run_json(repo)
    assert data["stages"][0]["status"] == "passed"  # ruff fixed the import and exited 0
    assert data["changed_files"] == ["src/a.py"]  # made.txt is new and untracked: not listed
    assert "import os" not in (repo.path / "src/a.py").read_text()
    repo.commit("fixed")
    plain = run_cli("run", "--no-cache", cwd=repo.path)
    assert plain.returncode == 0 and "changed tracked files" not in plain.stderr
    repo.write("src/a.py", "import sys\n\nx = 1\n")
    repo.commit("again")
    told = run_cli("run", cwd=repo.path)
    assert "warning: the run changed tracked files: src/a.py\n" in told.stderr
