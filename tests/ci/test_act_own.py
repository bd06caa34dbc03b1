"""shipyard's own quality, build and test workflows (.github/ of this repository, as committed),
run by act on a copy of this checkout: the same YAML a GitHub runner runs.

What differs from a GitHub runner (docs/ci.md "shipyard's own workflows under act"): pip reads
a local index (build's isolated environment also finds the build backend's wheels through
PIP_FIND_LINKS, from .ci/setup.d/ci.sh), `sudo` is a stand-in (the runner is root already), npm
reads this machine's npm cache (as setup-node's cache would restore it), and the unit stage
runs one test file instead of the whole suite, through PYTEST_ADDOPTS: the job still runs its
gates, and the coverage gates fail, as they must on one file of the suite.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from shipyard import __version__
from tests.ci.act import Runner
from tests.conftest import git

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
ROOT = Path(__file__).resolve().parents[2]
SUBSET = "tests/security/test_lockfiles.py"  # fast, real files, no server
WHEELS = Path(sys.prefix) / "share" / "shipyard-tests" / "build-wheels"
SUDO = """#!/bin/sh
# stand-in of a GitHub runner's passwordless sudo: this runner runs as root already
while [ "${1#-}" != "$1" ]; do shift; done
exec "$@"
"""


def own_copy(dest: Path) -> Path:
    """This checkout as a fresh repository: the tracked and new files, not what .gitignore
    leaves out (.venv, node_modules, caches), in one commit."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for rel in filter(None, listed.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "--no-verify", "-m", "ci: shipyard's own checkout")
    return dest


def runner_env(tmp_path: Path) -> dict[str, str]:
    assert WHEELS.is_dir(), f"{WHEELS} is missing: run `bash .ci/setup.d/ci.sh` in this venv"
    tools = tmp_path / "runner-bin"
    tools.mkdir()
    path = os.environ["PATH"]
    if shutil.which("sudo") is None and os.geteuid() == 0:
        (tools / "sudo").write_text(SUDO)
        (tools / "sudo").chmod(0o755)
        path = f"{tools}{os.pathsep}{path}"
    # the machine's npm cache, filled by `npm ci --prefix tests/node` before the suite: what
    # setup-node's cache restores on GitHub (read, not written: logs go elsewhere)
    home = pwd.getpwuid(os.getuid()).pw_dir
    npm = subprocess.run(
        ["npm", "config", "get", "cache"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "HOME": home},
    )
    return {
        "PATH": path,
        "PIP_FIND_LINKS": str(WHEELS),
        "npm_config_cache": npm.stdout.strip(),
        "npm_config_logs_dir": str(tmp_path / "npm-logs"),
        "PYTEST_ADDOPTS": f"--cov-fail-under=0 {SUBSET}",
    }


def test_own_quality_build_and_test_workflows_run_under_act(runner: Runner, tmp_path: Path) -> None:
    project = own_copy(tmp_path / "shipyard")
    env = runner_env(tmp_path)
    artifacts = tmp_path / "artifacts"
    quality = runner.run(project, "quality", artifacts=artifacts, env=env, timeout=1200)
    assert quality.jobs == {
        "lint": "succeeded",
        "typecheck": "succeeded",
        "ci-files": "succeeded",
    }, quality
    reports = artifacts
    assert "Success: no issues found" in (reports / "typecheck-reports" / "mypy.txt").read_text()
    assert json.loads((reports / "lint-reports" / "ruff.json").read_text()) == []
    assert "already formatted" in (reports / "lint-reports" / "format.txt").read_text()
    assert "CI files are up to date" in quality.log
    assert "npm ci" not in quality.log  # [ci.stage-install]: only the unit job installs Node tools

    build = runner.run(project, "build", artifacts=artifacts, env=env, timeout=900)
    assert build.jobs == {"build": "succeeded"}, build
    dist = sorted(p.name for p in (artifacts / "build-reports").iterdir())
    assert dist == [f"shipyard-{__version__}-py3-none-any.whl", f"shipyard-{__version__}.tar.gz"]

    test = runner.run(project, "test", artifacts=artifacts, env=env, timeout=1200)
    assert test.jobs == {"unit": "failed"}, test
    assert "added " in test.log and "chromium" in test.log.lower()  # npm ci, then .ci/setup.d
    suite = ET.parse(artifacts / "unit-reports" / "junit.xml").getroot()
    cases = suite.findall(".//testcase")
    assert cases and {c.get("classname") for c in cases} == {"tests.security.test_lockfiles"}
    assert not suite.findall(".//failure") and not suite.findall(".//error")
    assert (artifacts / "unit-reports" / "coverage.xml").is_file()
    # the gates ran on what the subset covers: the coverage gates fail, the test gates pass
    failed = [ln for ln in test.log.splitlines() if "quality gates failed:" in ln]
    assert failed, test
    gates = failed[-1].split("quality gates failed:")[1].replace(",", " ").split()
    assert gates and all(g.startswith("coverage.") for g in gates), failed
    assert "coverage.lines" in gates  # 2.8 % of the lines: one file of the suite
