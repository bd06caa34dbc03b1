"""The build, test and quality workflows, run by act: each job runs its stage and the gates,
on a runner that installs shipyard from a package index (tests/ci/act.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ci.act import Runner
from tests.ci.act_samples import commit_all, node_sample, python_sample
from tests.conftest import GitRepo, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def generate(repo: GitRepo) -> None:
    r = run_cli("ci", "generate", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    commit_all(repo, "ci: generated workflows")


def test_python_test_workflow_runs_green_with_shipyard_from_the_index(
    repo: GitRepo, runner: Runner, tmp_path: Path
) -> None:
    """A user's Python project: shipyard comes from the package index, the unit job runs its
    stage and gates and uploads to Codecov. (Its quality and build jobs are the same
    generator paths that tests/ci/test_act_own.py runs on shipyard's own repository.)"""
    python_sample(repo)
    pyproject = repo.path / "pyproject.toml"  # [tool.shipyard.ci] is its last table
    pyproject.write_text(pyproject.read_text() + "codecov = true\n")
    generate(repo)
    artifacts = tmp_path / "artifacts"
    token = {"CODECOV_TOKEN": "codecov-upload-token"}
    test = runner.run(repo.path, "test", artifacts=artifacts, secrets=token)
    assert test.jobs == {"unit": "succeeded"}, test
    assert "Successfully installed shipyard-" in test.log  # from the index, in the job
    assert "✓ unit passed" in test.log and "quality gates passed" in test.log, test
    assert (artifacts / "unit-reports" / "junit.xml").is_file()
    # ci.codecov: the stage's report, under the stage's flag, with the secret's token
    upload = artifacts / "codecov" / "unit"
    assert "<coverage" in (upload / "coverage.xml").read_text()
    assert json.loads((upload / "upload.json").read_text()) == {
        "flags": "unit",
        "token": "codecov-upload-token",
    }


@pytest.mark.node
def test_node_quality_build_and_test_workflows_run_green(
    repo: GitRepo, runner: Runner, tmp_path: Path
) -> None:
    node_sample(repo)
    generate(repo)
    artifacts = tmp_path / "artifacts"
    quality = runner.run(repo.path, "quality", artifacts=artifacts)
    assert quality.jobs == {
        "lint": "succeeded",
        "typecheck": "succeeded",
        "ci-files": "succeeded",
    }, quality
    assert "added 2 packages" in quality.log  # npm ci of the lockfile
    build = runner.run(repo.path, "build", artifacts=artifacts)
    assert build.jobs == {"build": "succeeded"}, build
    assert (artifacts / "build-reports" / "index.js").is_file()
    test = runner.run(repo.path, "test", artifacts=artifacts)
    assert test.jobs == {"unit": "succeeded"}, test
    assert "<testcase" in (artifacts / "unit-reports" / "junit.xml").read_text()
