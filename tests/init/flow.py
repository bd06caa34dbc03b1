"""The adoption flow every miniature goes through: init, commit, run (the gates fail on the
seeded coverage), release --dry-run (the release stages run, the gates stop it)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GitRepo, run_cli
from tests.samples import NODE_MODULES


def definition(repo: GitRepo) -> dict[str, Any]:
    path = repo.path / "shipyard.toml"
    if path.is_file():
        return tomllib.loads(path.read_text())
    shipyard: dict[str, Any] = tomllib.loads((repo.path / "pyproject.toml").read_text())["tool"][
        "shipyard"
    ]
    return shipyard


def init(repo: GitRepo, env: dict[str, str] | None = None) -> dict[str, Any]:
    r = run_cli("init", cwd=repo.path, env=env)
    assert r.returncode == 0, r.stderr
    repo.commit("feat: the whole pipeline, from shipyard init")  # a release is due
    assert repo.git("status", "--porcelain") == ""
    return definition(repo)


def ci_install(repo: GitRepo, env: dict[str, str]) -> str:
    """A fresh clone's install on a runner: the command `init --explain` names, run in the
    project with nothing installed before it; the tree stays clean (what it writes is ignored)."""
    explain = run_cli("init", "--explain", cwd=repo.path, env=env).stdout
    found = re.search(r"install: `([^`]+)`", explain)
    assert found, explain
    shutil.rmtree(repo.path / "node_modules", ignore_errors=True)
    done = subprocess.run(
        found.group(1),
        shell=True,
        cwd=repo.path,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{found.group(1)}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    assert repo.git("status", "--porcelain") == ""
    return found.group(1)


def run_fails_on_coverage(repo: GitRepo, env: dict[str, str] | None = None) -> dict[str, Any]:
    r = run_cli("run", "--json", cwd=repo.path, env=env, timeout=600)
    data: dict[str, Any] = json.loads(r.stdout)
    failed = {
        s["name"]: (s["status"], s["log"] and Path(s["log"]).read_text()[-3000:])
        for s in data["stages"]
        if s["status"] not in ("passed", "cached", "skipped") and s["critical"]
    }
    # every critical stage ran and passed (security is not critical: without an advisory
    # database here it fails closed) ...
    assert failed == {}, failed
    assert r.returncode == 1 and data["gates_passed"] is False  # ... but the gates did not
    history = run_cli("gate", "--history", "1", "--format", "json", cwd=repo.path)
    evaluation = json.loads(history.stdout)["evaluations"][0]
    status = {g["gate"]: g["status"] for g in evaluation["gates"]}
    assert status["coverage.lines"] == "failed", status
    return data


def release_dry_run_runs_the_release_stages(repo: GitRepo, env: dict[str, str] | None) -> None:
    assert repo.git("status", "--porcelain") == ""  # everything the run wrote is ignored
    r = run_cli("release", "--dry-run", cwd=repo.path, env=env, timeout=600)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "dry run: the release stages failed (the quality gates): a release would stop here" in (
        r.stderr
    )
    runs = json.loads(run_cli("runs", "--json", cwd=repo.path).stdout)["runs"]
    assert len(runs) == 2  # the dry run ran the release stages (from the cache, unchanged)


def needs_node() -> None:
    if not NODE_MODULES.is_dir():
        pytest.fail("tests/node/node_modules is missing: run `npm ci` in tests/node (.ci/run does)")
