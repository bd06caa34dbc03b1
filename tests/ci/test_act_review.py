"""The dependency-review workflow, run by act on a pull request: the action (a stand-in with the
real one's contract, tests/ci/actions/dependency-review-action) gets the pull request's base and
head commits and the job's token, asks a local stand-in of GitHub's dependency-graph API, and
fails the job on the vulnerable dependency the pull request adds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ci.act import Runner
from tests.ci.act_samples import python_sample
from tests.ci.test_act_stages import generate
from tests.conftest import GitRepo, git
from tests.monitor.servers import Routes, http_server

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

BASE, HEAD = "a" * 40, "b" * 40
ADDED = {
    "change_type": "added",
    "manifest": "requirements.txt",
    "ecosystem": "pip",
    "name": "urllib3",
    "version": "1.26.0",
    "package_url": "pkg:pypi/urllib3@1.26.0",
    "license": "MIT",
    "source_repository_url": "https://github.com/urllib3/urllib3",
    "scope": "runtime",
    "vulnerabilities": [
        {
            "severity": "high",
            "advisory_ghsa_id": "GHSA-seed-0002-test",
            "advisory_summary": "seeded for the act test",
            "advisory_url": "https://github.com/advisories/GHSA-seed-0002-test",
        }
    ],
}


def test_dependency_review_fails_a_pull_request_adding_a_vulnerable_dependency(
    repo: GitRepo, runner: Runner, tmp_path: Path
) -> None:
    python_sample(repo)
    git(repo.path, "remote", "add", "origin", "https://github.com/acme/actpy.git")  # act reads it
    generate(repo)
    path = f"/repos/acme/actpy/dependency-graph/compare/{BASE}...{HEAD}"
    api = Routes({path: (200, [ADDED], {})})
    event = {
        "pull_request": {"number": 3, "base": {"sha": BASE}, "head": {"sha": HEAD}},
        "repository": {"full_name": "acme/actpy"},
    }
    with http_server(api) as url:
        run = runner.run(
            repo.path,
            "dependency-review",
            "pull_request",
            payload=event,
            secrets={"GITHUB_TOKEN": "ghs-review-token"},
            github={"GITHUB_API_URL": url},
            artifacts=tmp_path / "artifacts",
        )
    assert run.jobs == {"dependency-review": "failed"}, run
    assert "1 vulnerable at high or above" in run.log
    assert "urllib3@1.26.0 – GHSA-seed-0002-test (high)" in run.log
    [request] = api.requests
    assert request.path == path
    assert request.headers["authorization"] == "Bearer ghs-review-token"
