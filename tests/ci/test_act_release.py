"""The security and release workflows, run by act against local stand-ins: an OSV bucket
served on 127.0.0.1, and the pypiserver the release tests use."""

from __future__ import annotations

import json
import urllib.request
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.ci.act import Runner
from tests.ci.act_samples import commit_all, node_sample, python_sample
from tests.ci.test_act_stages import generate
from tests.conftest import GitRepo
from tests.release.conftest import TOKEN_PASSWORD, TOKEN_USER, Registry

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ADVISORY = {
    "id": "GHSA-seed-0001-test",
    "modified": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),  # fresh: not stale
    "summary": "seeded for the act test",
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "urllib3"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.26.5"}]}],
        }
    ],
    "database_specific": {"severity": "HIGH"},
}


def test_security_workflow_fetches_the_database_and_fails_on_a_vulnerable_dependency(
    repo: GitRepo, runner: Runner, tmp_path: Path, osv_mirror: tuple[str, Path]
) -> None:
    url, bucket = osv_mirror
    (bucket / "PyPI").mkdir()
    with zipfile.ZipFile(bucket / "PyPI" / "all.zip", "w") as z:
        z.writestr("GHSA-seed-0001-test.json", json.dumps(ADVISORY))
    python_sample(repo)
    pyproject = repo.path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + f'osv-mirror = "{url}"\n\n[tool.shipyard.scan]\n')
    repo.write("requirements.txt", "urllib3==1.26.5\n")
    generate(repo)
    artifacts = tmp_path / "artifacts"
    clean = runner.run(repo.path, "security", artifacts=artifacts)
    assert clean.jobs == {"scan": "succeeded"}, clean
    assert "PyPI: 1 advisories" in clean.log  # `shipyard scan db update` from the mirror
    assert "deps: passed" in clean.log
    repo.write("requirements.txt", "urllib3==1.26.0\n")  # the seeded vulnerable dependency
    commit_all(repo, "build: older urllib3")
    seeded = runner.run(repo.path, "security", artifacts=artifacts)
    assert seeded.jobs == {"scan": "failed"}, seeded
    assert "GHSA-seed-0001-test" in seeded.log and "deps: FAILED" in seeded.log
    sarif = json.loads((artifacts / "code-scanning" / "shipyard-scan.sarif").read_text())
    results = [r["ruleId"] for run in sarif["runs"] for r in run["results"]]
    assert "GHSA-seed-0001-test" in results


def test_release_workflow_builds_in_one_job_and_publishes_from_another(
    repo: GitRepo, runner: Runner, tmp_path: Path, package_index: Registry
) -> None:
    python_sample(repo)
    repo.write("README.md", "# actpy\n")  # twine check --strict wants a description
    pyproject = repo.path / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            'version = "0.3.0"\n', 'version = "0.3.0"\nreadme = "README.md"\n'
        )
        + "\n[tool.shipyard.release.pypi]\n"
        + f'repository-url = "{package_index.url}"\nusername = "{TOKEN_USER}"\n'
        + "build-isolation = false\n"
    )
    generate(repo)
    repo.tag("v0.3.0", "Release 0.3.0")
    artifacts = tmp_path / "artifacts"
    payload = {"ref": "refs/tags/v0.3.0", "ref_name": "v0.3.0"}
    run = runner.run(
        repo.path,
        "release",
        payload=payload,
        secrets={"PYPI_TOKEN": TOKEN_PASSWORD},
        artifacts=artifacts,
    )
    assert run.jobs == {"build": "succeeded", "publish": "succeeded"}, run
    assert sorted(p.name for p in (artifacts / "release-dist" / "pypi").iterdir()) == [
        "actpy-0.3.0-py3-none-any.whl",
        "actpy-0.3.0.tar.gz",
    ]
    with urllib.request.urlopen(package_index.url + "simple/actpy/", timeout=30) as resp:
        page = resp.read().decode()
    assert "actpy-0.3.0-py3-none-any.whl" in page and "actpy-0.3.0.tar.gz" in page
    assert TOKEN_PASSWORD not in run.log  # act masks secrets; shipyard never prints them


@pytest.mark.node
def test_prerelease_workflow_publishes_to_npm_with_the_channels_dist_tag(
    repo: GitRepo, runner: Runner, tmp_path: Path, verdaccio: Registry
) -> None:
    node_sample(repo)
    manifest = repo.path / "package.json"
    manifest.write_text(manifest.read_text().replace('"1.0.0"', '"1.1.0-rc.1"', 1))
    definition = repo.path / "shipyard.toml"
    definition.write_text(
        definition.read_text()
        + f'\n[release.npm]\nregistry = "{verdaccio.url}"\n'
        # the token under the name actions/setup-node uses, as an extra secret: shipyard
        # accepts NODE_AUTH_TOKEN beside NPM_TOKEN (the generated NPM_TOKEN secret is empty)
        + '\n[ci]\nsecrets = ["NODE_AUTH_TOKEN"]\n'
    )
    generate(repo)
    repo.tag("v1.1.0-rc.1", "Release 1.1.0-rc.1")
    artifacts = tmp_path / "artifacts"
    run = runner.run(
        repo.path,
        "prerelease",
        payload={"ref": "refs/tags/v1.1.0-rc.1", "ref_name": "v1.1.0-rc.1"},
        secrets={"NODE_AUTH_TOKEN": verdaccio.token},
        artifacts=artifacts,
    )
    assert run.jobs == {"build": "succeeded", "publish": "succeeded"}, run
    assert [p.name for p in (artifacts / "release-dist" / "npm").iterdir()] == [
        "act-ts-1.1.0-rc.1.tgz"
    ]
    with urllib.request.urlopen(verdaccio.url + "act-ts", timeout=30) as resp:
        meta = json.loads(resp.read())
    # the plan's channel (a registry also points `latest` at a package's first version)
    assert meta["dist-tags"]["next"] == "1.1.0-rc.1"
    assert verdaccio.token not in run.log
