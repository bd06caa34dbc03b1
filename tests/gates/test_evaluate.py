"""`evaluate` in process, on small hand-made reports: why a figure is missing, and where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shipyard import config
from shipyard.errors import ConfigError
from shipyard.gates.evaluate import Evaluation, Options, evaluate
from shipyard.store import Store
from tests.conftest import GitRepo

LCOV = "SF:src/a.py\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\n"
DIMENSIONS = ("lines", "functions", "branches", "statements")
SUMMARY = json.dumps({"total": {d: {"total": 4, "covered": 3, "pct": 75} for d in DIMENSIONS}})


def run(root: Path, definition: str, **opts: object) -> Evaluation:
    (root / "shipyard.toml").write_text(definition)
    store = Store(root)
    try:
        return evaluate(config.load(root), store, Options(**opts))  # type: ignore[arg-type]
    finally:
        store.close()


def gates(ev: Evaluation) -> dict[str, tuple[str, str]]:
    return {r.gate: (str(r.status), r.detail) for r in ev.results}


def test_outside_git_changed_lines_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "lcov.info").write_text(LCOV)
    ev = run(tmp_path, '[stages.t]\nrun = "true"\nreports = { coverage = "lcov.info" }\n')
    assert gates(ev)["coverage.changed_lines"] == ("skipped", "not a git repository with commits")
    assert gates(ev)["coverage.lines"] == ("failed", "1/2")
    assert ev.commit is None and ev.stale == []


def test_no_base_branch(repo: GitRepo) -> None:
    repo.git("checkout", "-q", "-b", "trunk")  # main is never born
    repo.write("src/a.py", "x = 1\ny = 2\n")
    repo.commit("init")
    repo.write("lcov.info", LCOV)
    stage = '[stages.t]\nrun = "true"\nreports = { coverage = "lcov.info" }\n'
    ev = run(repo.path, '[gates]\nbase = "main"\n' + stage)
    assert gates(ev)["coverage.changed_lines"] == (
        "skipped",
        "no base: branch 'main' does not exist (use --base REF)",
    )
    ev = run(repo.path, stage)  # unnamed, the base is the default branch: trunk, the current one
    assert ev.base_branch == "trunk"
    assert gates(ev)["coverage.changed_lines"][0] == "skipped"  # nothing changed since trunk


def test_working_tree_changes_count(repo: GitRepo) -> None:
    repo.write("src/a.py", "x = 1\n")
    repo.commit("init")
    repo.write("src/a.py", "x = 1\ny = 2\n")  # line 2 added, not committed, never ran
    repo.write("lcov.info", LCOV)
    ev = run(repo.path, '[stages.t]\nrun = "true"\nreports = { coverage = "lcov.info" }\n')
    assert gates(ev)["coverage.changed_lines"] == ("failed", "0/1 lines")
    assert ev.changed is not None and ev.changed.missing == {"src/a.py": [2]}


def test_summary_only_has_no_line_data(tmp_path: Path) -> None:
    (tmp_path / "summary.json").write_text(SUMMARY)
    ev = run(tmp_path, '[stages.t]\nrun = "true"\nreports = { coverage = "summary.json" }\n')
    assert gates(ev)["coverage.statements"] == ("failed", "3/4")
    assert gates(ev)["coverage.functions"] == ("failed", "3/4")


def test_pyproject_key_path_in_config_errors(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.shipyard.gates.typecheck]\nerrors = 0\n")
    store = Store(tmp_path)
    with pytest.raises(ConfigError) as info:
        evaluate(config.load(tmp_path), store, Options())
    store.close()
    assert info.value.message == (
        f"{tmp_path / 'pyproject.toml'}: tool.shipyard.gates.typecheck.errors: this gate reads "
        "a typecheck report, but no stage declares one"
    )


def test_two_coverage_reports_add_up(tmp_path: Path) -> None:
    (tmp_path / "lcov.info").write_text(LCOV)
    (tmp_path / "summary.json").write_text(SUMMARY)
    ev = run(
        tmp_path,
        '[stages.py]\nrun = "true"\nreports = { coverage = "lcov.info" }\n'
        '[stages.ts]\nrun = "true"\nreports = { coverage = "summary.json" }\n',
    )
    assert gates(ev)["coverage.lines"] == ("failed", "4/6")
    assert gates(ev)["coverage.functions"] == ("failed", "3/4")  # only the summary has them
