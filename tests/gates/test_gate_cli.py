"""`shipyard gate` end to end, on the sample projects' real reports."""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from shipyard.gates import history, registry
from shipyard.gates.interface import GateResult, GateStatus, SuiteTotals
from shipyard.pipeline import testcases as pipeline_junit
from shipyard.store import Store
from tests.conftest import run_cli

DECLARED = """
[stages.test]
run = "true"
reports = { coverage = "coverage.xml", junit = "junit.xml" }
[stages.lint]
run = "true"
reports = { lint = "ruff.json", format = "format.txt" }
[stages.types]
run = "true"
reports = { typecheck = "mypy.txt" }
"""
RELAXED = """
[gates.coverage]
lines = 50
branches = false
changed-lines = 50
[gates.lint]
errors = 1
[gates.typecheck]
errors = 1
"""


def define(project: Path, text: str) -> None:
    (project / "shipyard.toml").write_text(text)


def gate(project: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run_cli("gate", *args, cwd=project, env=env)


def test_failing_gates_exit_1_with_the_table(py_copy: Path) -> None:
    define(py_copy, DECLARED + "[gates]\n")
    r = gate(py_copy)
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "quality gates"
    assert lines[1].split() == ["gate", "threshold", "actual", "change", "result"]
    rows = {line.split()[0]: line.split() for line in lines[3:-1]}
    assert rows["coverage.lines"][-1] == "FAIL"
    assert rows["coverage.changed_lines"][-5:] == ["54.55", "%", "(6/11", "lines)", "FAIL"]
    assert rows["tests.failures"][-4:] == ["0", "(3", "tests)", "pass"]
    assert rows["lint.warnings"][1:] == [
        "baseline",
        "(none",
        "yet)",
        "0",
        "(no",
        "main-branch",
        "run",
        "recorded",
        "yet)",
        "pass",
    ]
    assert rows["bundle.total"][1:] == ["<", "5.00", "MB", "n/a:", "no", "bundle", "report", "skip"]


def test_verdict_names_every_failing_gate(py_copy: Path) -> None:
    define(py_copy, DECLARED + "[gates]\n")
    r = gate(py_copy)
    assert r.stdout.splitlines()[-1] == (
        "quality gates failed: coverage.lines, coverage.branches, coverage.changed_lines, "
        "lint.errors, typecheck.errors"
    )


def test_relaxed_gates_pass_and_warn_only(py_copy: Path) -> None:
    define(py_copy, DECLARED + RELAXED)
    r = gate(py_copy)
    assert (r.returncode, r.stdout.splitlines()[-1]) == (0, "quality gates passed"), r.stdout
    define(py_copy, DECLARED + "[gates]\n")
    r = gate(py_copy, "--warn-only")
    assert r.returncode == 0
    assert r.stdout.splitlines()[-1].endswith("(warn only: not failing)")


def test_conventional_paths_when_no_stage_declares_reports(py_copy: Path) -> None:
    define(py_copy, "[gates]\n")
    data = json.loads(gate(py_copy, "--format", "json").stdout)
    assert data["reports"] == [
        "coverage.xml (conventional path): Cobertura XML",
        "junit.xml (conventional path): JUnit XML",
        "ruff.json (conventional path): ruff JSON (ruff check --output-format json)",
        "mypy.txt (conventional path): mypy",
        "format.txt (conventional path): ruff format --check output",
    ]


def test_json_output(py_copy: Path) -> None:
    define(py_copy, DECLARED + "[gates]\n")
    r = gate(py_copy, "--format", "json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    gates = {g["gate"]: g for g in data["gates"]}
    assert gates["coverage.changed_lines"]["actual"] == pytest.approx(600 / 11)
    assert gates["coverage.changed_lines"]["status"] == "failed"
    assert gates["lint.errors"]["actual"] == 1
    assert data["uncovered_changed_lines"] == {
        "src/calc/__init__.py": [25],
        "src/calc/extra.py": [6, 9, 13, 14],
    }
    assert data["branch"] == "feature" and data["passed"] is False


def test_markdown_goes_to_the_github_step_summary(py_copy: Path, tmp_path: Path) -> None:
    define(py_copy, DECLARED + "[gates]\n")
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n")
    r = gate(py_copy, "--format", "markdown", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert r.stdout.startswith("## ❌ Quality gates: failed\n")
    text = summary.read_text()
    assert text.startswith("# earlier step\n## ❌ Quality gates: failed\n")
    assert "| lint.errors | <= 0 | 1 |  | FAIL |" in text
    assert "- `src/calc/extra.py`: 6, 9, 13, 14" in text


def test_junit_output_read_back(py_copy: Path) -> None:
    define(py_copy, DECLARED + "[gates]\n")
    r = gate(py_copy, "--format", "junit", "--output", "gates.xml")
    assert r.returncode == 1
    assert "quality gates failed" in r.stdout  # the table still shows on the terminal
    _, totals = registry.read("junit", py_copy / "gates.xml", py_copy)
    assert isinstance(totals, SuiteTotals)
    assert (totals.tests, totals.failures) == (15, 5)
    cases = pipeline_junit.read(py_copy / "gates.xml", py_copy)  # the run store's reader
    assert [c.outcome for c in cases].count("failed") == 5
    failure = ET.parse(py_copy / "gates.xml").find(".//testcase[@name='lint.errors']/failure")
    assert failure is not None
    assert failure.get("message") == "lint.errors: 1, expected <= 0"


def test_github_annotations(py_copy: Path) -> None:
    define(py_copy, DECLARED + "[gates]\n")
    r = gate(py_copy, env={"GITHUB_ACTIONS": "true"})
    assert (
        "::error file=src/calc/__init__.py,line=1,col=8,title=F401::`os` imported but "
        "unused [F401]" in r.stdout.splitlines()
    )
    assert (
        "::error file=src/calc/__init__.py,line=21,col=1,title=return-value::Incompatible "
        'return value type (got "str", expected "int") [return-value]' in r.stdout.splitlines()
    )


def test_change_since_the_last_main_branch_run(py_copy: Path) -> None:
    define(py_copy, DECLARED + "[gates]\n")
    store = Store(py_copy)
    main = GateResult("lint.errors", "<=", 0, 3.0, "count", GateStatus.FAILED)
    warn = GateResult("lint.warnings", "<=", None, 0.0, "count", GateStatus.PASSED)
    history.record(
        store, [main, warn], run_id=None, commit="abc", branch="main", base=None, passed=False
    )
    store.close()
    data = json.loads(gate(py_copy, "--format", "json").stdout)
    gates = {g["gate"]: g for g in data["gates"]}
    assert gates["lint.errors"]["change"] == -2.0
    assert gates["lint.warnings"]["threshold"] == 0.0  # the main-branch figure
    store = Store(py_copy)
    assert history.trend(store, "lint.errors") == [3.0, 1.0]
    store.close()


def test_stale_report_is_flagged(py_copy: Path) -> None:
    define(py_copy, DECLARED + RELAXED)
    old = (py_copy / "ruff.json").stat().st_mtime - 3600
    os.utime(py_copy / "ruff.json", (old, old))
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=py_copy, capture_output=True, text=True, check=True
    ).stdout.strip()
    r = gate(py_copy)
    assert r.returncode == 0
    assert r.stderr == (
        f"warning: ruff.json (stage lint) was written before the HEAD commit {sha[:12]}: it "
        "may describe another commit; run its stage again\n"
    )
    define(py_copy, DECLARED + RELAXED + '[gates]\nstale-reports = "fail"\n')
    r = gate(py_copy)
    assert r.returncode == 1
    assert r.stdout.splitlines()[-1] == "quality gates failed: stale reports"


def test_bad_report_exits_2(py_copy: Path) -> None:
    define(py_copy, DECLARED + "[gates]\n")
    (py_copy / "ruff.json").write_text('[{"filename": "a.py"')
    r = gate(py_copy)
    assert r.returncode == 2
    assert r.stderr == (
        "error: ruff.json: truncated JSON at line 1 column 21 (expected ruff JSON (ruff check "
        "--output-format json))\n  hint: the tool that writes it may have been interrupted; "
        "run its stage again\n"
    )


def test_gate_without_a_report_is_a_config_error(py_copy: Path) -> None:
    define(py_copy, DECLARED + '[gates.bundle]\ntotal = "1MB"\n')
    r = gate(py_copy)
    assert r.returncode == 2
    assert r.stderr == (
        f"error: {py_copy / 'shipyard.toml'}: gates.bundle.total: this gate reads a bundle "
        'report, but no stage declares one\n  hint: add `reports.bundle = "PATH"` to the '
        "stage that writes it, or set the gate to false\n"
    )


def test_base_option(py_copy: Path) -> None:
    define(py_copy, DECLARED + "[gates]\n")
    data = json.loads(gate(py_copy, "--format", "json", "--base", "HEAD").stdout)
    gates = {g["gate"]: g for g in data["gates"]}
    assert gates["coverage.changed_lines"]["status"] == "skipped"
    r = gate(py_copy, "--base", "nope")
    assert (r.returncode, r.stderr) == (
        2,
        f"error: git revision 'nope' does not exist in {py_copy}\n",
    )


def test_output_needs_a_format(py_copy: Path) -> None:
    define(py_copy, DECLARED + "[gates]\n")
    r = gate(py_copy, "--output", "x")
    assert (r.returncode, r.stderr) == (
        2,
        "error: --output needs --format json, markdown or junit\n",
    )


def test_history_lists_recorded_evaluations(py_copy: Path) -> None:
    define(py_copy, DECLARED + RELAXED)
    gate(py_copy)
    define(py_copy, DECLARED + "[gates]\n")
    gate(py_copy)
    r = gate(py_copy, "--history", "5")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == [
        "id",
        "when",
        "commit",
        "branch",
        "run",
        "result",
        "failed",
        "gates",
    ]
    assert lines[2].split()[-6:] == [
        "failed",
        "coverage.lines,",
        "coverage.branches,",
        "coverage.changed_lines,",
        "lint.errors,",
        "typecheck.errors",
    ]
    assert lines[3].split()[-1] == "passed"
    data = json.loads(gate(py_copy, "--history", "1", "--format", "json").stdout)["evaluations"]
    assert [e["id"] for e in data] == [2]
    assert {g["gate"] for g in data[0]["gates"]} >= {"coverage.lines", "lint.warnings"}
