"""`shipyard gate` on the TypeScript sample: vitest coverage, eslint, tsc and prettier reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.node

DEFINITION = """
[stages.test]
run = "vitest run --coverage"
reports = { coverage = "coverage/coverage-summary.json", junit = "junit.xml" }
[stages.lint]
run = "eslint -f json src > eslint.json"
reports = { lint = "eslint.json", format = "prettier.txt" }
[stages.types]
run = "tsc -p . --diagnostics > tsc.txt"
reports = { typecheck = "tsc.txt" }
[gates.coverage]
changed-lines = false
"""


@pytest.fixture
def ts_copy(ts_sample: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "ts"
    shutil.copytree(ts_sample, dest, symlinks=True)
    eslint = dest / "eslint.json"
    eslint.write_text(eslint.read_text().replace(str(ts_sample), str(dest)))
    (dest / "shipyard.toml").write_text(DEFINITION)
    return dest


def test_istanbul_summary_gives_all_four_dimensions(ts_copy: Path) -> None:
    r = run_cli("gate", "--format", "json", cwd=ts_copy)
    assert r.returncode == 1, r.stderr
    gates = {g["gate"]: g for g in json.loads(r.stdout)["gates"]}
    summary = json.loads((ts_copy / "coverage" / "coverage-summary.json").read_text())["total"]
    for dim in ("lines", "functions", "branches", "statements"):
        expected = 100 * summary[dim]["covered"] / summary[dim]["total"]
        assert gates[f"coverage.{dim}"]["actual"] == pytest.approx(expected)
    assert gates["lint.errors"]["actual"] == 0
    assert gates["lint.warnings"]["actual"] == 1
    assert (gates["typecheck.errors"]["actual"], gates["typecheck.errors"]["status"]) == (
        1,
        "failed",
    )
    assert gates["format.files"]["status"] == "passed"
    assert gates["tests.failures"]["status"] == "passed"
    assert "coverage.changed_lines" not in gates


def test_eslint_warning_and_tsc_error_annotations(ts_copy: Path) -> None:
    r = run_cli("gate", cwd=ts_copy, env={"GITHUB_ACTIONS": "true"})
    lines = r.stdout.splitlines()
    assert (
        "::warning file=src/math.ts,line=15,col=9,title=@typescript-eslint/no-unused-vars::"
        "'unused' is assigned a value but never used. [@typescript-eslint/no-unused-vars]"
    ) in lines
    assert (
        "::error file=src/math.ts,line=19,col=14,title=TS2322::Type 'string' is not "
        "assignable to type 'number'. [TS2322]"
    ) in lines


def test_lcov_gives_changed_lines(ts_copy: Path) -> None:
    text = DEFINITION.replace("coverage/coverage-summary.json", "coverage/lcov.info")
    (ts_copy / "shipyard.toml").write_text(text.replace("changed-lines = false", ""))
    (ts_copy / "src" / "math.ts").write_text(
        (ts_copy / "src" / "math.ts").read_text().replace("return a + b;", "return b + a;")
    )
    data = json.loads(run_cli("gate", "--format", "json", cwd=ts_copy).stdout)
    gates = {g["gate"]: g for g in data["gates"]}
    # an uncommitted edit of a covered line: on main, the base is HEAD itself
    assert gates["coverage.changed_lines"]["actual"] == 100.0
    assert gates["coverage.changed_lines"]["detail"] == "1/1 lines"
