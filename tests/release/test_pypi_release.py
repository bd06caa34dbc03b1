"""`shipyard release` of a Python package to a real pypiserver, installed back with pip."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli
from tests.release.conftest import GITHUB_TOKEN, Registry
from tests.release.github_fake import FakeGithub
from tests.release.projects import python_project

pytestmark = pytest.mark.slow


def _env(pypi: Registry) -> dict[str, str]:
    return {"PYPI_TOKEN": pypi.token, "GITHUB_TOKEN": GITHUB_TOKEN}


def _pip_install(tmp_path: Path, index: str, spec: str) -> str:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-cache-dir",
            "--pre",
            "--disable-pip-version-check",
            "--index-url",
            f"{index}simple/",
            "--target",
            str(target),
            spec,
        ],
        check=True,
        capture_output=True,
    )
    dist = next(target.glob("shipyard_demo_py*.dist-info"))
    return dist.name.split("-")[1].removesuffix(".dist")


def test_prerelease_uses_pep440_and_installs_back(
    repo: GitRepo, pypiserver: Registry, github: FakeGithub, tmp_path: Path
) -> None:
    python_project(repo, pypiserver.url, github.url)
    repo.commit("feat: a feature", allow_empty=True)
    r = run_cli("release", "--channel", "beta", cwd=repo.path, env=_env(pypiserver))
    assert (r.returncode, r.stdout) == (0, "1.1.0b1\n"), r.stderr
    assert 'version = "1.1.0b1"' in (repo.path / "pyproject.toml").read_text()
    init = (repo.path / "src/shipyard_demo_py/__init__.py").read_text()
    assert '__version__ = "1.1.0b1"' in init
    assert "v1.1.0b1" in repo.git("tag")
    assert _pip_install(tmp_path, pypiserver.url, "shipyard-demo-py") == "1.1.0b1"
    assert github.releases["v1.1.0b1"]["prerelease"] is True
    assert pypiserver.token not in r.stdout + r.stderr

    # the final release is killed right after its upload: the re-run does not upload twice
    killed = run_cli(
        "release",
        cwd=repo.path,
        env={**_env(pypiserver), "SHIPYARD_RELEASE_KILL_AFTER": "publish:pypi"},
    )
    assert killed.returncode == -9
    again = run_cli("release", cwd=repo.path, env=_env(pypiserver))
    assert (again.returncode, again.stdout) == (0, "1.1.0\n"), again.stderr
    assert "– publish:pypi: shipyard-demo-py 1.1.0 is on the registry already" in again.stderr
    assert "✓ github: https://github.com/acme/demo/releases/tag/v1.1.0" in again.stderr
    assert _pip_install(tmp_path / "2", pypiserver.url, "shipyard-demo-py") == "1.1.0"

    rollback = run_cli("rollback", "1.1.0", "--to", "1.1.0b1", cwd=repo.path)
    assert rollback.returncode == 0
    assert rollback.stdout.splitlines()[0] == (
        f"pypi: {pypiserver.url}simple/ is not PyPI: remove or yank shipyard-demo-py 1.1.0 "
        "with that index's own tools:"
    )


def test_build_failure_after_commit_undoes_commit_and_tag(
    repo: GitRepo, pypiserver: Registry, github: FakeGithub
) -> None:
    python_project(repo, pypiserver.url, github.url, name="shipyard-demo-broken")
    (repo.path / "README.md").unlink()  # the build now fails: readme = "README.md" is missing
    repo.commit("fix: drop the readme")
    head = repo.git("rev-parse", "HEAD")
    r = run_cli("release", cwd=repo.path, env=_env(pypiserver))
    assert r.returncode == 1
    assert "  hint: nothing left this machine; the release commit and tag were removed" in (
        r.stderr.splitlines()
    )
    assert "✓ commit: chore(release): 1.0.1" in r.stderr
    assert repo.git("rev-parse", "HEAD") == head
    assert "v1.0.1" not in repo.git("tag")
    assert repo.git("status", "--porcelain") == ""
    assert github.requests == []


def test_one_project_on_both_registries(
    repo: GitRepo, pypiserver: Registry, verdaccio: Registry, github: FakeGithub, tmp_path: Path
) -> None:
    python_project(repo, pypiserver.url, github.url, name="shipyard-demo-both")
    repo.write(
        "package.json",
        json.dumps({"name": "demo-both", "version": "1.0.0", "files": ["index.js"]}) + "\n",
    )
    repo.write("index.js", "module.exports = 1;\n")
    text = (repo.path / "pyproject.toml").read_text()
    text = text.replace('publish = ["pypi"]', 'publish = ["npm", "pypi"]')
    text += f'\n[tool.shipyard.release.npm]\nregistry = "{verdaccio.url}"\n'
    repo.write("pyproject.toml", text)
    repo.commit("feat: both")
    env = {**_env(pypiserver), "NPM_TOKEN": verdaccio.token}
    r = run_cli("release", "--channel", "rc", cwd=repo.path, env=env)
    assert (r.returncode, r.stdout) == (0, "1.1.0-rc.1\n"), r.stderr  # package.json: semver
    assert "✓ publish:npm: demo-both 1.1.0-rc.1 (dist-tag next)" in r.stderr
    assert "✓ publish:pypi: shipyard-demo-both 1.1.0rc1\n" in r.stderr
    assert 'version = "1.1.0rc1"' in (repo.path / "pyproject.toml").read_text()
    assert json.loads((repo.path / "package.json").read_text())["version"] == "1.1.0-rc.1"
    assert repo.git("tag", "--points-at", "HEAD").split() == ["v1.1.0-rc.1"]
