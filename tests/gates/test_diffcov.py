"""Coverage of changed lines: the diff parser on plain text, and the figure against diff-cover's
on the same real git history and the same coverage.py / lcov reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shipyard.gates import diffcov, registry
from shipyard.gates.interface import Coverage, LineHits
from shipyard.git import Repo
from tests.gates.conftest import PY_REPORTS, clean_env, sh

DIFF = """\
diff --git a/src/a.py b/src/a.py
index 1111111..2222222 100644
--- a/src/a.py
+++ b/src/a.py
@@ -3,0 +4,2 @@ def f():
+    x = 1
+    y = 2
@@ -10 +12 @@ def g():
-    return 1
+    return 2
diff --git a/old.py b/old.py
deleted file mode 100644
--- a/old.py
+++ /dev/null
@@ -1 +0,0 @@
-gone
diff --git a/only_removed.py b/only_removed.py
--- a/only_removed.py
+++ b/only_removed.py
@@ -5 +4,0 @@
-dropped
"""


def test_parse_diff_new_side_line_numbers() -> None:
    assert diffcov.parse_diff(DIFF) == {"src/a.py": {4, 5, 12}}


def test_parse_diff_quoted_name() -> None:
    text = '+++ "b/tab\\there.py"\n@@ -0,0 +1 @@\n+x\n'
    assert diffcov.parse_diff(text) == {"tab\there.py": {1}}


def test_measure_counts_only_measured_lines() -> None:
    hits = {"a.py": LineHits(frozenset({1, 2, 3, 5}), frozenset({3}))}
    result = diffcov.measure({"a.py": {2, 3, 4}, "b.py": {1}}, hits, "base")
    assert (result.measured, result.uncovered, result.changed) == (2, 1, 4)
    assert result.percent == 50.0
    assert result.missing == {"a.py": [3]}


def test_merge_hits_uncovered_only_when_every_report_says_so(tmp_path: Path) -> None:
    a = {str(tmp_path / "x.py"): LineHits(frozenset({1, 2}), frozenset({1, 2}))}
    b = {str(tmp_path / "x.py"): LineHits(frozenset({2, 3}), frozenset({3}))}
    merged = diffcov.merge_hits([a, b], str(tmp_path))
    assert merged == {"x.py": LineHits(frozenset({1, 2, 3}), frozenset())}


def diff_cover(project: Path, report: str, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "diff-cover.json"
    cp = subprocess.run(
        [
            sys.executable,
            "-m",
            "diff_cover.diff_cover_tool",
            report,
            "--compare-branch=main",
            "--total-percent-float",
            "--format",
            f"json:{out}",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(tmp_path),
        timeout=120,
    )
    assert cp.returncode == 0, cp.stderr
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def ours(project: Path, report: str) -> diffcov.ChangedCoverage:
    repo = Repo(project)
    _, cov = registry.read("coverage", project / report, project)
    assert isinstance(cov, Coverage)
    base = diffcov.default_base(repo, "main")
    assert base is not None
    changed = diffcov.changed_lines(repo, base)
    return diffcov.measure(changed, diffcov.merge_hits([cov.files], str(project)), base)


def assert_same(mine: diffcov.ChangedCoverage, theirs: dict) -> None:  # type: ignore[type-arg]
    assert mine.measured == theirs["total_num_lines"]
    assert mine.uncovered == theirs["total_num_violations"]
    assert mine.percent is not None
    assert round(mine.percent, 2) == theirs["total_percent_covered"]
    missing = {
        path: stats["violation_lines"]
        for path, stats in theirs["src_stats"].items()
        if stats["violation_lines"]
    }
    assert mine.missing == missing


@pytest.mark.parametrize("report", ["coverage.xml", "coverage.lcov"])
def test_equals_diff_cover_on_added_lines(py_sample: Path, tmp_path: Path, report: str) -> None:
    mine = ours(py_sample, report)
    # extra.py: clamp half run, never_called not; __init__.py: triple's body not run
    assert (mine.measured, mine.uncovered, mine.changed) == (11, 5, 18)
    assert_same(mine, diff_cover(py_sample, report, tmp_path))


@pytest.mark.slow
def test_equals_diff_cover_on_changed_and_deleted_lines(py_copy: Path, tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    init = py_copy / "src" / "calc" / "__init__.py"
    text = init.read_text().replace("return a + b", "return b + a")  # covered line, changed
    text = text.replace("return x * 2\n", "y = x\n    return y * 2\n")  # uncovered, changed
    text = text.replace('    elif x < 0:\n        return "neg"\n', "")  # deleted lines
    init.write_text(text)
    sh("git commit -qam 'second change'", py_copy, env)
    sh(PY_REPORTS[0], py_copy, {**env, "PYTHONPATH": str(py_copy / "src")})
    mine = ours(py_copy, "coverage.xml")
    assert_same(mine, diff_cover(py_copy, "coverage.xml", tmp_path))
    # untested's two changed lines and triple's body (moved up by the deletion)
    assert mine.missing["src/calc/__init__.py"] == [15, 16, 24]
