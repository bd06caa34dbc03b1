"""`shipyard release` of a Node package to a real Verdaccio, installed back with npm."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli
from tests.release.conftest import GITHUB_TOKEN, Registry
from tests.release.github_fake import FakeGithub
from tests.release.projects import node_project

pytestmark = pytest.mark.slow


def _env(verdaccio: Registry) -> dict[str, str]:
    return {"NPM_TOKEN": verdaccio.token, "GITHUB_TOKEN": GITHUB_TOKEN}


def _installed(tmp_path: Path, registry: str, spec: str) -> str:
    where = tmp_path / "consumer"
    where.mkdir(exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-save", "--registry", registry, spec],
        cwd=where,
        check=True,
        capture_output=True,
    )
    return json.loads((where / "node_modules" / spec.split("@")[0] / "package.json").read_text())[
        "version"
    ]


def test_release_publishes_tags_and_announces(
    repo: GitRepo, verdaccio: Registry, github: FakeGithub, tmp_path: Path
) -> None:
    node_project(repo, verdaccio.url, github.url, name="demo-one")
    repo.write("index.js", "module.exports = () => 'hello world';\n")
    repo.commit("feat(api): greet the world")
    r = run_cli("release", cwd=repo.path, env=_env(verdaccio))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "1.1.0\n"
    assert "v1.1.0" in repo.git("tag", "--points-at", "HEAD")
    assert repo.git("log", "-1", "--format=%s").strip() == "chore(release): 1.1.0"
    assert json.loads((repo.path / "package.json").read_text())["version"] == "1.1.0"
    lock = json.loads((repo.path / "package-lock.json").read_text())
    assert lock["version"] == lock["packages"][""]["version"] == "1.1.0"
    assert "### Features\n\n* **api:** greet the world" in (repo.path / "CHANGELOG.md").read_text()
    assert _installed(tmp_path, verdaccio.url, "demo-one@latest") == "1.1.0"
    assert github.violations == []
    rel = github.releases["v1.1.0"]
    assert rel["prerelease"] is False and "greet the world" in rel["body"]
    assert verdaccio.token not in r.stdout + r.stderr
    assert GITHUB_TOKEN not in r.stdout + r.stderr
    logs = list((repo.path / ".shipyard" / "logs").rglob("*.log"))
    assert any(b"PATH=" in p.read_bytes() for p in logs)  # the stage printed its environment
    for path in (repo.path / ".shipyard").rglob("*"):  # store, stage logs, npm userconfig
        if path.is_file():
            data = path.read_bytes()
            assert verdaccio.token.encode() not in data, path
            assert GITHUB_TOKEN.encode() not in data, path


def _dist_tags(registry: str, name: str) -> dict[str, str]:
    out = subprocess.run(
        ["npm", "view", name, "dist-tags", "--json", "--registry", registry],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(out))


def test_prerelease_channel_then_rollback(
    repo: GitRepo, verdaccio: Registry, github: FakeGithub, tmp_path: Path
) -> None:
    """One package's life: a release killed after its tag resumes; a GitHub failure after
    the publish resumes without publishing twice; an rc channel; the final; a rollback."""
    node_project(repo, verdaccio.url, github.url, name="demo-two")
    repo.commit("fix: a first fix", allow_empty=True)
    killed = run_cli(
        "release", cwd=repo.path, env={**_env(verdaccio), "SHIPYARD_RELEASE_KILL_AFTER": "tag"}
    )
    assert killed.returncode == -9
    assert repo.git("tag", "--points-at", "HEAD").split() == ["v1.0.1"]
    github.fail_creates = 1
    first = run_cli("release", cwd=repo.path, env=_env(verdaccio))
    assert first.returncode == 1
    assert "– tag: v1.0.1 exists already" in first.stderr
    assert first.stderr.splitlines()[-2:] == [
        "error: release 1.0.1 failed: GitHub could not create the release in acme/demo: "
        "500 Server Error",
        "  hint: re-run `shipyard release` to resume: finished steps are skipped",
    ]
    assert _dist_tags(verdaccio.url, "demo-two")["latest"] == "1.0.1"
    second = run_cli("release", cwd=repo.path, env=_env(verdaccio))
    assert (second.returncode, second.stdout) == (0, "1.0.1\n"), second.stderr
    assert "– publish:npm: demo-two 1.0.1 is on the registry already" in second.stderr
    assert "v1.0.1" in github.releases
    assert repo.git("tag", "--list", "v1.0.1*").split() == ["v1.0.1"]
    assert repo.git("log", "--format=%s").splitlines()[:2] == [
        "chore(release): 1.0.1",
        "fix: a first fix",
    ]
    repo.commit("feat!: a new shape", allow_empty=True)
    r = run_cli("release", "--channel", "rc", cwd=repo.path, env=_env(verdaccio))
    assert (r.returncode, r.stdout) == (0, "2.0.0-rc.1\n"), r.stderr
    assert github.releases["v2.0.0-rc.1"]["prerelease"] is True
    assert _dist_tags(verdaccio.url, "demo-two") == {"latest": "1.0.1", "next": "2.0.0-rc.1"}
    repo.commit("fix: oops", allow_empty=True)
    assert run_cli("release", cwd=repo.path, env=_env(verdaccio)).stdout == "2.0.0\n"
    assert _dist_tags(verdaccio.url, "demo-two")["latest"] == "2.0.0"

    dry = run_cli(
        "rollback", "2.0.0", "--to", "1.0.1", "--dry-run", cwd=repo.path, env=_env(verdaccio)
    )
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[1] == (
        f"npm: would run: npm dist-tag add demo-two@1.0.1 latest (registry {verdaccio.url})"
    )
    assert _dist_tags(verdaccio.url, "demo-two")["latest"] == "2.0.0"
    r = run_cli("rollback", "2.0.0", "--to", "1.0.1", cwd=repo.path, env=_env(verdaccio))
    assert r.returncode == 0, r.stderr
    assert _dist_tags(verdaccio.url, "demo-two")["latest"] == "1.0.1"
    meta = subprocess.run(
        ["npm", "view", "demo-two@2.0.0", "deprecated", "--registry", verdaccio.url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "rolled back; use 1.0.1" in meta
    assert _installed(tmp_path, verdaccio.url, "demo-two") == "1.0.1"


def test_dry_run_changes_nothing(repo: GitRepo, verdaccio: Registry, github: FakeGithub) -> None:
    node_project(repo, verdaccio.url, github.url, name="demo-three")
    repo.commit("feat: something", allow_empty=True)
    before = repo.git("rev-parse", "HEAD"), repo.git("tag")
    r = run_cli("release", "--dry-run", cwd=repo.path, env=_env(verdaccio))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "1.1.0"
    assert "  5. commit 'chore(release): 1.1.0'" in lines
    assert "* something" in r.stdout
    assert (repo.git("rev-parse", "HEAD"), repo.git("tag")) == before
    assert repo.git("status", "--porcelain") == ""
    assert github.requests == []


def test_failing_stage_stops_before_anything(
    repo: GitRepo, verdaccio: Registry, github: FakeGithub
) -> None:
    node_project(repo, verdaccio.url, github.url, name="demo-six")
    repo.write("index.js", "throw new Error('broken');\n")
    repo.commit("fix: break it")
    head = repo.git("rev-parse", "HEAD")
    r = run_cli("release", cwd=repo.path, env=_env(verdaccio))
    assert r.returncode == 1
    assert r.stderr.splitlines()[-2:] == [
        "error: release 1.0.1 failed: release stages failed: test; see `shipyard runs`",
        "  hint: nothing left this machine; the release commit and tag were removed",
    ]
    assert repo.git("rev-parse", "HEAD") == head and "v1.0.1" not in repo.git("tag")
    assert repo.git("status", "--porcelain") == ""
    assert github.requests == []


def test_ci_mode_publishes_the_release_tagged_at_a_detached_head(
    repo: GitRepo, verdaccio: Registry, github: FakeGithub, tmp_path: Path
) -> None:
    """What the generated release workflow runs after a tag push: no commit, tag or push."""
    node_project(repo, verdaccio.url, github.url, name="demo-ci")
    for name in ("package.json", "package-lock.json"):
        text = (repo.path / name).read_text().replace('"version": "1.0.0"', '"version": "1.2.0"')
        repo.write(name, text)
    repo.write("CHANGELOG.md", "# Changelog\n\n## 1.2.0 (2026-11-27)\n\n### Features\n\n* tagged\n")
    repo.commit("chore(release): 1.2.0")
    repo.tag("v1.2.0", "Release 1.2.0")
    repo.git("checkout", "-q", "--detach")
    head = repo.git("rev-parse", "HEAD")
    r = run_cli("release", "--ci", cwd=repo.path, env=_env(verdaccio))
    assert r.returncode == 0, r.stderr
    assert "– push: --ci: the tag came from the remote" in r.stderr
    assert _installed(tmp_path, verdaccio.url, "demo-ci@latest") == "1.2.0"
    assert "* tagged" in github.releases["v1.2.0"]["body"]
    assert repo.git("rev-parse", "HEAD") == head and repo.git("tag").split() == ["v1.0.0", "v1.2.0"]
    again = run_cli("release", "--ci", cwd=repo.path, env=_env(verdaccio))
    assert again.returncode == 0 and "is on the registry already" in again.stderr


def test_ci_mode_without_a_tag_at_head(
    repo: GitRepo, verdaccio: Registry, github: FakeGithub
) -> None:
    node_project(repo, verdaccio.url, github.url, name="demo-ci2")
    repo.commit("fix: untagged", allow_empty=True)
    r = run_cli("release", "--ci", cwd=repo.path, env=_env(verdaccio))
    head = repo.git("rev-parse", "HEAD")[:10]
    assert (r.returncode, r.stderr) == (
        2,
        f"error: HEAD ({head}) carries no release tag matching 'v{{version}}'\n"
        "  hint: --ci publishes a tagged release; run plain `shipyard release` to make one\n",
    )
