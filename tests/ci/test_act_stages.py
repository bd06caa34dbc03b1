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


def test_python_quality_build_and_test_workflows_run_green(
    repo: GitRepo, runner: Runner, tmp_path: Path
) -> None:
    python_sample(repo)
    pyproject = repo.path / "pyproject.toml"  # [tool.shipyard.ci] is its last table
    pyproject.write_text(pyproject.read_text() + "codecov = true\n")
    generate(repo)
    artifacts = tmp_path / "artifacts"
    quality = runner.run(repo.path, "quality", artifacts=artifacts)
    assert quality.jobs == {"lint": "succeeded", "ci-files": "succeeded"}, quality
    assert "Successfully installed shipyard-" in quality.log  # from the index, in the job
    assert "CI files are up to date" in quality.log
    build = runner.run(repo.path, "build", artifacts=artifacts)
    assert build.jobs == {"build": "succeeded"}, build
    assert list((artifacts / "build-reports").glob("actpy-0.3.0-*.whl"))
    token = {"CODECOV_TOKEN": "codecov-upload-token"}
    test = runner.run(repo.path, "test", artifacts=artifacts, secrets=token)
    assert test.jobs == {"unit": "succeeded"}, test
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
