"""`shipyard run` evaluates the gates after the stages that write their reports."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli

PIPELINE = f"""
[stages.test]
run = "{sys.executable} -m pytest -q -p no:cacheprovider --cov=src --cov-branch \
--cov-report=xml:coverage.xml --junitxml=junit.xml tests"
env = {{ PYTHONPATH = "src" }}
reports = {{ coverage = "coverage.xml", junit = "junit.xml" }}
[stages.lint]
run = "ruff check --no-cache --output-format json src > ruff.json || true"
reports = {{ lint = "ruff.json" }}
[stages.build]
run = "mkdir -p dist && cp -r src dist/"
reports = {{ bundle = "dist" }}
[gates.coverage]
lines = 50
branches = false
changed-lines = 50
[gates.lint]
errors = {{errors}}
"""


def rows(project: Path, sql: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(project / ".shipyard" / "shipyard.db")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


@pytest.mark.slow
def test_run_evaluates_and_records_the_gates(py_copy: Path) -> None:
    for report in ("coverage.xml", "junit.xml", "ruff.json", "mypy.txt", "format.txt"):
        (py_copy / report).unlink()  # the run must write them itself
    (py_copy / "shipyard.toml").write_text(PIPELINE.replace("{errors}", "1"))
    r = run_cli("run", cwd=py_copy)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "quality gates passed" in r.stdout.splitlines()
    assert "warning:" not in r.stderr  # reports written by this run are not stale
    evaluations = rows(py_copy, "SELECT run_id, branch, passed FROM gate_evaluations")
    assert evaluations == [(1, "feature", 1)]
    results = dict(rows(py_copy, "SELECT gate, status FROM gate_results"))
    assert results["build.time"] == "passed"  # from the build stage's recorded duration
    assert results["bundle.total"] == "passed"
    assert results["coverage.changed_lines"] == "passed"

    (py_copy / "shipyard.toml").write_text(PIPELINE.replace("{errors}", "0"))
    r = run_cli("run", "--json", cwd=py_copy)
    assert r.returncode == 1
    # the JSON document is the whole output, or follows the gate table (until `run` passes
    # show=False to after_run)
    start = 0 if r.stdout.startswith("{") else r.stdout.index("\n{")
    assert json.loads(r.stdout[start:])["gates_passed"] is False
    failed = rows(py_copy, "SELECT passed FROM gate_evaluations WHERE run_id = 2")
    assert failed == [(0,)]


def test_a_partial_run_does_not_fail_on_reports_of_stages_it_did_not_run(repo: GitRepo) -> None:
    repo.write(
        "shipyard.toml",
        '[stages.unit]\nrun = "false"\nreports = { coverage = "coverage.xml" }\n'
        '[stages.lint]\nrun = "true"\n[gates]\n',
    )
    repo.commit("init")
    r = run_cli("run", "lint", cwd=repo.path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "quality gates passed" in r.stdout
    r = run_cli("gate", cwd=repo.path)  # on its own, the missing report is still an error
    assert r.returncode == 2 and "coverage.xml: report not found" in r.stderr
