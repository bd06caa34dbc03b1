"""`shipyard release` over a monorepo: every changed package in dependency order, one release
commit, a tag per package, dependents' ranges bumped, published to a real Verdaccio / a real
pypiserver and installed back from there."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli
from tests.monorepo import shapes
from tests.release.conftest import TOKEN_USER, Registry

pytestmark = pytest.mark.slow

LOCK = {
    "name": "acme",
    "lockfileVersion": 3,
    "requires": True,
    "packages": {
        "": {"name": "acme", "workspaces": ["packages/*"]},
        "node_modules/@acme/utils": {"resolved": "packages/utils", "link": True},
        "packages/utils": {"name": "@acme/utils", "version": "1.0.0"},
        "packages/core": {
            "name": "@acme/core",
            "version": "1.0.0",
            "dependencies": {"@acme/utils": "^1.0.0"},
        },
        "packages/cli": {
            "name": "@acme/cli",
            "version": "1.0.0",
            "dependencies": {"@acme/core": "^1.0.0"},
        },
    },
}


def _manifest(repo: GitRepo, folder: str) -> dict[str, object]:
    return dict(json.loads((repo.path / folder / "package.json").read_text()))


def test_npm_workspace_releases_in_order_with_ranges_bumped(
    repo: GitRepo, verdaccio: Registry, tmp_path: Path
) -> None:
    shapes.npm_three(
        repo, f'[release]\npublish = ["npm"]\n\n[release.npm]\nregistry = "{verdaccio.url}"\n'
    )
    repo.write("package-lock.json", json.dumps(LOCK, indent=2) + "\n")
    repo.write("packages/utils/index.js", "module.exports = 'rounded';\n")
    repo.commit("fix(utils): round half up")
    env = {"NPM_TOKEN": verdaccio.token}
    dry = run_cli("release", "--dry-run", cwd=repo.path, env=env, timeout=600)
    assert dry.returncode == 0, dry.stderr
    assert "would release 3 packages in dependency order" in dry.stdout
    assert repo.git("status", "--porcelain") == "" and repo.git("tag", "--points-at", "HEAD") == ""

    r = run_cli("release", cwd=repo.path, env=env, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    tags = ["@acme/utils@1.0.1", "@acme/core@1.0.1", "@acme/cli@1.0.1"]
    assert r.stdout.splitlines() == tags
    assert sorted(repo.git("tag", "--points-at", "HEAD").split()) == sorted(tags)
    assert repo.git("log", "-1", "--format=%s").strip() == "chore(release): " + ", ".join(tags)
    assert repo.git("status", "--porcelain") == ""
    core, cli = _manifest(repo, "packages/core"), _manifest(repo, "packages/cli")
    assert (core["version"], core["dependencies"]) == ("1.0.1", {"@acme/utils": "^1.0.1"})
    assert (cli["version"], cli["dependencies"]) == ("1.0.1", {"@acme/core": "^1.0.1"})
    lock = json.loads((repo.path / "package-lock.json").read_text())["packages"]
    assert lock["packages/utils"]["version"] == "1.0.1"
    assert lock["packages/cli"]["dependencies"] == {"@acme/core": "^1.0.1"}
    assert "round half up" in (repo.path / "packages/utils/CHANGELOG.md").read_text()
    assert "@acme/utils 1.0.1" in (repo.path / "packages/core/CHANGELOG.md").read_text()
    # published in dependency order: each package reached the registry after what it needs
    times = [_published_at(verdaccio.url, name, "1.0.1") for name in [t[:-6] for t in tags]]
    assert times == sorted(times), times
    # installed back from the registry: the bumped ranges pull the new versions
    where = tmp_path / "consumer"
    where.mkdir()
    subprocess.run(
        ["npm", "install", "--no-save", "--registry", verdaccio.url, "@acme/cli@1.0.1"],
        cwd=where,
        check=True,
        capture_output=True,
    )
    for name in ("cli", "core", "utils"):
        installed = json.loads((where / f"node_modules/@acme/{name}/package.json").read_text())
        assert installed["version"] == "1.0.1", name
    assert verdaccio.token not in r.stdout + r.stderr
    # a second run at the release commit resumes it: every step is found done
    again = run_cli("release", cwd=repo.path, env=env, timeout=600)
    assert again.returncode == 0, again.stderr
    assert again.stderr.count("is on the registry already") == 3
    assert "✓ publish" not in again.stderr and "✓ commit" not in again.stderr
    assert "✓ tag" not in again.stderr and repo.git("log", "-1", "--format=%s").startswith("chore")


def _published_at(registry: str, name: str, version: str) -> str:
    out = subprocess.run(
        ["npm", "view", name, "time", "--json", "--registry", registry],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return str(json.loads(out)[version])


def test_uv_workspace_releases_to_pypiserver(
    repo: GitRepo, pypiserver: Registry, tmp_path: Path
) -> None:
    shapes.uv_three(repo)
    with (repo.path / "pyproject.toml").open("a") as fh:
        fh.write(
            '\n[tool.shipyard.release]\npublish = ["pypi"]\n\n[tool.shipyard.release.pypi]\n'
            f'repository-url = "{pypiserver.url}"\nusername = "{TOKEN_USER}"\n'
            "build-isolation = false\n"
        )
    repo.commit("chore: publish to the local index")
    repo.write("packages/acme-core/acme_core/__init__.py", "NAME = 'core'\nFAST = True\n")
    repo.commit("perf(core): faster")
    r = run_cli("release", cwd=repo.path, env={"PYPI_TOKEN": pypiserver.token}, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines() == ["acme-core@1.0.1", "acme-app@1.0.1", "acme-extra@1.0.1"]
    extra = (repo.path / "packages/acme-extra/pyproject.toml").read_text()
    assert 'version = "1.0.1"' in extra and '"acme-core>=1.0.1"' in extra
    assert '"acme-core>=1.0.1"' in (repo.path / "pyproject.toml").read_text()
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-cache-dir",
            "--disable-pip-version-check",
            "--index-url",
            f"{pypiserver.url}simple/",
            "--target",
            str(site),
            "acme-extra==1.0.1",
        ],
        check=True,
        capture_output=True,
    )
    found = sorted(p.name for p in site.glob("acme_*.dist-info"))
    assert found == ["acme_core-1.0.1.dist-info", "acme_extra-1.0.1.dist-info"]


def test_pnpm_workspace_ranges_are_published_as_real_versions(
    repo: GitRepo, verdaccio: Registry, tmp_path: Path
) -> None:
    repo.write("package.json", json.dumps({"name": "pnpmws", "private": True}) + "\n")
    repo.write("pnpm-workspace.yaml", "packages:\n  - 'packages/*'\n")
    repo.write(".gitignore", ".shipyard/\nnode_modules/\n")
    repo.write(
        "shipyard.toml",
        f'[release]\npublish = ["npm"]\n\n[release.npm]\nregistry = "{verdaccio.url}"\n',
    )
    shapes.npm_package(repo, "packages/utils", "@pnpmws/utils", {})
    shapes.npm_package(
        repo,
        "packages/core",
        "@pnpmws/core",
        {"@pnpmws/utils": "workspace:^"},
        peerDependencies={"@pnpmws/utils": "workspace:~"},
    )
    cli_deps = {"@pnpmws/core": "workspace:*", "@pnpmws/utils": "workspace:^1.0.0"}
    shapes.npm_package(repo, "packages/cli", "@pnpmws/cli", cli_deps)
    repo.commit("feat: first versions")
    for name in ("@pnpmws/utils", "@pnpmws/core", "@pnpmws/cli"):
        repo.tag(f"{name}@1.0.0", name)
    repo.write("packages/utils/index.js", "module.exports = 'rounded';\n")
    repo.commit("fix(utils): round half up")

    r = run_cli("release", cwd=repo.path, env={"NPM_TOKEN": verdaccio.token}, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.split() == ["@pnpmws/utils@1.0.1", "@pnpmws/core@1.0.1", "@pnpmws/cli@1.0.1"]
    assert "workspace: ranges resolved" in r.stderr
    # the repository keeps its workspace: ranges (the explicit one moved with the release)
    assert repo.git("status", "--porcelain") == ""
    assert _manifest(repo, "packages/core")["dependencies"] == {"@pnpmws/utils": "workspace:^"}
    assert _manifest(repo, "packages/cli")["dependencies"] == {
        "@pnpmws/core": "workspace:*",
        "@pnpmws/utils": "workspace:^1.0.1",
    }
    # the registry has the real versions, as `pnpm publish` would have written them
    published = {
        name: _view(verdaccio.url, f"{name}@1.0.1") for name in ("@pnpmws/core", "@pnpmws/cli")
    }
    assert published["@pnpmws/core"]["dependencies"] == {"@pnpmws/utils": "^1.0.1"}
    assert published["@pnpmws/core"]["peerDependencies"] == {"@pnpmws/utils": "~1.0.1"}
    assert published["@pnpmws/cli"]["dependencies"] == {
        "@pnpmws/core": "1.0.1",
        "@pnpmws/utils": "^1.0.1",  # explicit: as written in the release commit
    }
    where = tmp_path / "consumer"
    where.mkdir()
    subprocess.run(
        ["npm", "install", "--no-save", "--registry", verdaccio.url, "@pnpmws/cli@1.0.1"],
        cwd=where,
        check=True,
        capture_output=True,
    )
    for name in ("cli", "core", "utils"):
        installed = json.loads((where / f"node_modules/@pnpmws/{name}/package.json").read_text())
        assert installed["version"] == "1.0.1", name


def _view(registry: str, spec: str) -> dict[str, object]:
    out = subprocess.run(
        ["npm", "view", spec, "--json", "--registry", registry],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(out))


def test_split_release_build_job_then_publish_job(
    repo: GitRepo, verdaccio: Registry, tmp_path: Path
) -> None:
    """`--ci build` saves every package's tarball; `--ci publish` (the job with the token, no
    install) publishes them in dependency order: the generated workflow's split, for a monorepo."""
    repo.write("package.json", json.dumps({"name": "s", "private": True, "workspaces": ["p/*"]}))
    repo.write(".gitignore", ".shipyard/\nnode_modules/\n")
    shapes.npm_package(repo, "p/a", "@split/a", {})
    shapes.npm_package(repo, "p/b", "@split/b", {"@split/a": "^1.0.0"})
    repo.commit("feat: first versions")
    for name in ("@split/a", "@split/b"):
        repo.tag(f"{name}@1.0.0", name)
    repo.write("p/a/index.js", "module.exports = 2;\n")
    repo.commit("feat(a): two")
    # the definition stays outside git's view, so the tags stay at HEAD when it changes
    with (repo.path / ".git/info/exclude").open("a") as fh:
        fh.write("shipyard.toml\n")
    repo.write("shipyard.toml", "[release]\npublish = []\n")
    r = run_cli("release", cwd=repo.path, timeout=300)  # the tagging run, nothing published
    assert r.stdout.split() == ["@split/a@1.1.0", "@split/b@1.0.1"], r.stderr
    repo.write(
        "shipyard.toml",
        f'[release]\npublish = ["npm"]\n\n[release.npm]\nregistry = "{verdaccio.url}"\n',
    )
    dist = tmp_path / "dist"
    r = run_cli("release", "--ci", "build", "--dist", str(dist), cwd=repo.path, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    saved = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*.tgz"))
    assert saved == ["split_a/npm/split-a-1.1.0.tgz", "split_b/npm/split-b-1.0.1.tgz"]
    view = ["npm", "view", "@split/a", "--registry", verdaccio.url]
    assert subprocess.run(view, capture_output=True).returncode != 0  # not published yet
    missing = run_cli("release", "--ci", "publish", "--dist", str(tmp_path / "none"), cwd=repo.path)
    assert missing.returncode == 1 and "run `shipyard release --ci build` first" in missing.stderr
    env = {"NPM_TOKEN": verdaccio.token}
    r = run_cli("release", "--ci", "publish", "--dist", str(dist), "--json", cwd=repo.path, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    steps = [s["name"] for s in json.loads(r.stdout)["steps"] if s["status"] == "done"]
    assert steps[:4] == [
        "load:npm:@split/a",
        "load:npm:@split/b",
        "publish:npm:@split/a",
        "publish:npm:@split/b",
    ]
    times = [
        _published_at(verdaccio.url, n, v)
        for n, v in (("@split/a", "1.1.0"), ("@split/b", "1.0.1"))
    ]
    assert times == sorted(times)
    assert _view(verdaccio.url, "@split/b@1.0.1")["dependencies"] == {"@split/a": "^1.1.0"}
