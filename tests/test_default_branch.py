"""A Python application whose default branch is `master` (a clone with origin's HEAD there):
gates, monitor and bench use it without being told, where they used to assume `main`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from shipyard import config
from shipyard.bench import settings as bench_settings
from shipyard.gates import settings as gate_settings
from shipyard.git import Repo
from tests.conftest import GitRepo, git, run_cli

DEFINITION = (
    '[stages.test]\nrun = "true"\nreports = { coverage = "lcov.info" }\n'
    "[monitor.pipeline]\nwindow = 5\n"
)
LCOV = "SF:app.py\nDA:1,1\nLF:1\nLH:1\nend_of_record\n"


def master_clone(tmp_path: Path) -> GitRepo:
    """origin has only `master`; the clone works on a feature branch, as a contributor would."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "master")
    (origin / "app.py").write_text("print('hi')\n")
    (origin / "shipyard.toml").write_text(DEFINITION)
    (origin / "lcov.info").write_text(LCOV)
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "init")
    subprocess.run(["git", "clone", "-q", str(origin), str(tmp_path / "clone")], check=True)
    clone = GitRepo(tmp_path / "clone")
    clone.git("checkout", "-q", "-b", "feature")
    return clone


def test_the_default_branch_comes_from_origin_head(tmp_path: Path) -> None:
    clone = master_clone(tmp_path)
    assert Repo(clone.path).default_branch() == "master"
    definition = config.load(clone.path)
    assert gate_settings.load(definition).base == "master"
    assert bench_settings.load(definition).base == "master"
    clone.write("shipyard.toml", DEFINITION + '[gates]\nbase = "develop"\n')
    assert gate_settings.load(config.load(clone.path)).base == "develop"  # named: kept


def test_monitor_and_gates_on_a_master_repository(tmp_path: Path) -> None:
    clone = master_clone(tmp_path)
    clone.git("checkout", "-q", "master")
    assert run_cli("run", cwd=clone.path).returncode == 0
    r = run_cli("monitor", "--only", "pipeline", "--json", cwd=clone.path)
    assert r.returncode == 0, r.stderr
    assert "on master passed" in r.stdout and "no run recorded" not in r.stdout
    gate = run_cli("gate", "--format", "json", cwd=clone.path)
    assert gate.returncode == 0, gate.stderr
    data = json.loads(gate.stdout)
    assert data["base_branch"] == "master"
    changed = next(r for r in data["gates"] if r["gate"] == "coverage.changed_lines")
    assert "does not exist" not in json.dumps(changed)  # was: branch 'main' does not exist
