"""Per-package versions and changelogs on real-shaped monorepos (tests/monorepo/shapes.py):
commits attributed by the paths they touch, `name@version` tags, merge commits with
conventional titles, dependents' patch releases, fixed mode, and the shallow-clone refusal."""

from __future__ import annotations

import json

from tests.conftest import GitRepo, run_cli
from tests.monorepo import shapes


def ok(repo: GitRepo, *args: str) -> str:
    r = run_cli(*args, cwd=repo.path)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def _history(repo: GitRepo) -> None:
    """utils gets a fix; core a feature through a merge titled `feat!:`; cli nothing itself."""
    repo.write("packages/utils/index.js", "module.exports = 'rounded';\n")
    repo.commit("fix(utils): round half up")
    repo.git("checkout", "-q", "-b", "topic")
    repo.write("packages/core/index.js", "module.exports = {api: 2};\n")
    repo.commit("feat(core): the new api")
    repo.git("checkout", "-q", "main")
    repo.write("README.md", "# acme\n")
    repo.commit("docs: a readme at the root")
    repo.git(
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "feat!: core api v2\n\nBREAKING CHANGE: init() is gone",
        "topic",
    )


def test_npm_workspace_versions_and_changelogs_per_package(repo: GitRepo) -> None:
    shapes.npm_three(repo)
    _history(repo)
    # another package's feat must not raise utils (1.0.1, not 1.1.0); the merge's breaking
    # title counts for core; cli is released because core is
    assert ok(repo, "version") == "@acme/utils 1.0.1\n@acme/core 2.0.0\n@acme/cli 1.0.1\n"
    assert ok(repo, "version", "--package", "@acme/utils") == "1.0.1\n"
    data = json.loads(ok(repo, "version", "--json"))
    assert data["schema_version"] == 1
    by_name = {p["package"]: p for p in data["packages"]}
    assert by_name["@acme/core"]["tag"] == "@acme/core@2.0.0"
    assert by_name["@acme/core"]["bump"] == "major"
    assert by_name["@acme/cli"]["because"] == ["@acme/core"]
    assert [c["description"] for c in by_name["@acme/utils"]["changes"]] == ["round half up"]
    explained = ok(repo, "version", "--package", "@acme/core", "--explain")
    assert "major" in explained and "feat!: core api v2" in explained

    r = run_cli("changelog", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert "wrote packages/utils/CHANGELOG.md (1.0.1)" in r.stderr
    utils = (repo.path / "packages/utils/CHANGELOG.md").read_text()
    core = (repo.path / "packages/core/CHANGELOG.md").read_text()
    assert "round half up" in utils and "api" not in utils and "readme" not in utils
    assert "## [2.0.0]" in core and "### ⚠ BREAKING CHANGES" in core
    assert "init() is gone" in core and "the new api" in core and "round" not in core
    assert not (repo.path / "CHANGELOG.md").exists()  # the private root is no package
    # the full history of one package: its own releases only
    repo.git("checkout", "-q", "--", ".")
    full = ok(repo, "changelog", "--package", "@acme/utils", "--full", "--stdout")
    assert "## [1.0.1]" in full and "## [1.0.0]" in full and "api" not in full

    r = run_cli("version", "--package", "@acme/nope", cwd=repo.path)
    assert r.returncode == 2 and "no workspace package named '@acme/nope'" in r.stderr


def test_dependents_policy_fixed_mode_and_tag_formats(repo: GitRepo) -> None:
    shapes.npm_three(repo, '[workspace]\nbump-dependents = "none"\n')
    _history(repo)
    assert ok(repo, "version") == "@acme/utils 1.0.1\n@acme/core 2.0.0\n"
    repo.write(
        "shipyard.toml", '[workspace]\nmode = "fixed"\n\n[release]\ntag-format = "v{version}"\n'
    )
    repo.commit("chore: one version for all")
    repo.tag("v1.4.0", "fixed line")
    repo.write("packages/utils/index.js", "module.exports = 'faster';\n")
    repo.commit("perf(utils): faster")
    # fixed: the one version; utils changed, core and cli follow it as dependents
    assert ok(repo, "version") == ("@acme/utils 1.4.1\n@acme/core 1.4.1\n@acme/cli 1.4.1\n")
    repo.write("shipyard.toml", '[workspace]\nmode = "fixd"\n')
    r = run_cli("version", cwd=repo.path)
    assert r.returncode == 2 and "workspace.mode" in r.stderr and "fixd" in r.stderr


def test_pnpm_workspace_with_vite_tags(repo: GitRepo) -> None:
    shapes.pnpm_vite(repo)
    repo.write("packages/create-vite/index.js", "module.exports = 'fixed';\n")
    repo.commit("fix(create-vite): template paths")
    repo.write("packages/vite/index.js", "module.exports = 'feature';\n")
    repo.commit("feat: a vite feature")
    repo.write("packages/vite/src/node/__tests__/packages/child/index.js", "exports.x = 1;\n")
    repo.commit("fix: a fixture inside vite (counts for vite, not for the fixture)")
    repo.write("playground/alias/index.js", "module.exports = 1;\n")
    repo.commit("feat: a playground (private)")
    # the case: create-vite's own commits are fixes only
    assert ok(repo, "version") == ("create-vite 6.1.1\nvite 6.1.0\n@vitejs/plugin-legacy 6.0.1\n")
    data = json.loads(ok(repo, "version", "--package", "create-vite", "--json"))
    assert (data["tag"], data["current"]) == ("create-vite@6.1.1", "6.1.0")
    vite = json.loads(ok(repo, "version", "--package", "vite", "--json"))
    assert vite["tag"] == "v6.1.0"
    assert [c["description"] for c in vite["changes"]] == [
        "a fixture inside vite (counts for vite, not for the fixture)",
        "a vite feature",
    ]
    r = run_cli("version", "--package", "@vitejs/test-alias", cwd=repo.path)
    assert r.returncode == 2 and "private" in r.stderr


def test_uv_workspace_root_package_excludes_its_members(repo: GitRepo) -> None:
    shapes.uv_three(repo)
    repo.write("packages/acme-extra/acme_extra/__init__.py", "NAME = 'extra'\nX = 1\n")
    repo.commit("feat(extra): x")
    assert ok(repo, "version") == "acme-extra 1.1.0\n"  # nothing depends on extra
    repo.write("packages/acme-core/acme_core/__init__.py", "NAME = 'core'\nY = 2\n")
    repo.commit("fix(core): y")
    assert ok(repo, "version") == "acme-core 1.0.1\nacme-app 1.0.1\nacme-extra 1.1.0\n"


def test_shallow_clone_is_refused_with_the_fix(repo: GitRepo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    shapes.npm_three(repo)
    _history(repo)
    clone = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    for args in (["version"], ["version", "--package", "@acme/core"]):
        r = run_cli(*args, cwd=clone)
        assert r.returncode == 2, r.stdout + r.stderr
        assert "shallow clone" in r.stderr and "fetch-depth: 0" in r.stderr
        assert "--unshallow" in r.stderr and "Traceback" not in r.stderr


def test_newest_tags_on_another_branch_do_not_hide_the_reachable_one(repo: GitRepo) -> None:
    shapes.npm_three(repo)
    repo.git("checkout", "-q", "-b", "next")
    for minor in (1, 2, 3):  # three newer finals of utils, none reachable from main
        repo.write("packages/utils/index.js", f"module.exports = {minor};\n")
        repo.commit(f"feat(utils): step {minor}")
        repo.tag(f"@acme/utils@1.{minor}.0", "next line")
    repo.git("checkout", "-q", "main")
    repo.write("packages/utils/index.js", "module.exports = 'fix';\n")
    repo.commit("fix(utils): on the maintained line")
    data = json.loads(ok(repo, "version", "--package", "@acme/utils", "--json"))
    assert (data["current"], data["version"]) == ("1.0.0", "1.0.1")


def test_scope_rule_attributes_root_only_commits_and_mapping(repo: GitRepo) -> None:
    shapes.npm_three(repo)
    repo.write("tsconfig.base.json", "{}\n")
    repo.commit("fix(core): the shared compiler options")  # root files only
    repo.write("packages/utils/index.js", "module.exports = 'u';\n")
    repo.commit("feat(command-line): a flag, in utils' files")
    # without the rule paths alone decide: the root-only fix counts for no package
    assert ok(repo, "version") == "@acme/utils 1.1.0\n@acme/core 1.0.1\n@acme/cli 1.0.1\n"
    assert "shared compiler" not in ok(repo, "version", "--package", "@acme/core", "--explain")
    repo.write(
        "shipyard.toml",
        '[workspace]\nscope-rule = true\n\n[workspace.scopes]\ncommand-line = "@acme/cli"\n',
    )
    repo.commit("chore: the scope rule")
    # core: its scope (the unscoped name); cli: the mapping, on top of its dependency's patch;
    # utils keeps the feat its files got (paths still count)
    assert ok(repo, "version") == "@acme/utils 1.1.0\n@acme/core 1.0.1\n@acme/cli 1.1.0\n"
    core = json.loads(ok(repo, "version", "--package", "@acme/core", "--json"))
    assert [c["description"] for c in core["changes"]] == ["the shared compiler options"]
    repo.write("shipyard.toml", '[workspace.scopes]\ncli = "@acme/nope"\n')
    r = run_cli("version", cwd=repo.path)
    assert r.returncode == 2 and "workspace.scopes.cli" in r.stderr and "@acme/nope" in r.stderr


def _crlf(repo: GitRepo, path: str) -> None:
    text = (repo.path / path).read_text(encoding="utf-8")
    (repo.path / path).write_bytes(text.replace("\n", "\r\n").encode())


def test_uv_release_keeps_crlf_manifests_and_moves_uv_lock(repo: GitRepo) -> None:
    """A Windows checkout's pyproject.toml (CRLF) keeps its line ends when the release bumps
    its version and its ranges; an LF one stays LF. uv.lock gets the members' new versions
    and requirement specifiers, as `uv lock` writes them; a registry package stays."""
    shapes.uv_three(repo)
    repo.write("uv.lock", shapes.UV_LOCK)
    _crlf(repo, "packages/acme-core/pyproject.toml")
    _crlf(repo, "packages/acme-extra/pyproject.toml")
    with (repo.path / "pyproject.toml").open("a") as fh:
        fh.write("\n[tool.shipyard.release]\npublish = []\n")  # the files and tags only
    repo.commit("chore: a Windows checkout's manifests")
    repo.write("packages/acme-core/acme_core/__init__.py", "NAME = 'core'\nFAST = True\n")
    repo.commit("perf(core): faster")
    ok(repo, "release")
    extra = (repo.path / "packages/acme-extra/pyproject.toml").read_bytes()
    assert b'version = "1.0.1"\r\n' in extra and b'"acme-core>=1.0.1"' in extra
    assert extra.count(b"\n") == extra.count(b"\r\n")
    core = (repo.path / "packages/acme-core/pyproject.toml").read_bytes()
    assert b'version = "1.0.1"\r\n' in core and core.count(b"\n") == core.count(b"\r\n")
    root = (repo.path / "pyproject.toml").read_bytes()
    assert b'"acme-core>=1.0.1"' in root and b"\r\n" not in root
    want = shapes.UV_LOCK.replace(
        'version = "1.0.0"\nsource = { e', 'version = "1.0.1"\nsource = { e'
    )
    want = want.replace('core", specifier = ">=1.0.0"', 'core", specifier = ">=1.0.1"')
    assert want.count("1.0.1") == 5 and want.count("1.0.0") == 3  # idna's
    assert (repo.path / "uv.lock").read_text() == want


def test_release_keeps_a_crlf_package_json_crlf(repo: GitRepo) -> None:
    shapes.npm_three(repo, "[release]\npublish = []\n")
    _crlf(repo, "packages/cli/package.json")
    repo.write("packages/core/index.js", "module.exports = 'v2';\n")
    repo.git("add", "-A")
    repo.commit("fix(core): v2 (from a Windows checkout)")
    ok(repo, "release")
    cli = (repo.path / "packages/cli/package.json").read_bytes()
    assert b'"version": "1.0.1",\r\n' in cli and b'"@acme/core": "^1.0.1"\r\n' in cli
    assert cli.count(b"\n") == cli.count(b"\r\n")
    assert b"\r\n" not in (repo.path / "packages/core/package.json").read_bytes()


def test_uv_accepts_the_lock_a_release_rewrote(repo: GitRepo) -> None:
    """Against uv itself: `uv lock` writes the workspace's lock, the release bumps two
    members, and `uv lock --check` (exit 1 when the lock is stale) accepts what it wrote."""
    import os
    import subprocess
    import sys

    def uv(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "uv", *args, "--offline", "--no-progress"],
            cwd=repo.path,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "UV_CACHE_DIR": str(repo.path.parent / "uv-cache")},
        )

    shapes.uv_three(repo)
    with (repo.path / "pyproject.toml").open("a") as fh:
        fh.write("\n[tool.shipyard.release]\npublish = []\n")  # the files and tags only
    made = uv("lock")
    assert made.returncode == 0, made.stderr
    repo.commit("chore: lock")
    repo.write("packages/acme-core/acme_core/__init__.py", "NAME = 'core'\nFAST = True\n")
    repo.commit("perf(core): faster")
    ok(repo, "release")
    lock = (repo.path / "uv.lock").read_text()
    assert lock.count('version = "1.0.1"') == 3  # acme-core and its dependents app and extra
    checked = uv("lock", "--check")
    assert checked.returncode == 0, checked.stderr
    stale = repo.path / "packages/acme-core/pyproject.toml"
    stale.write_text(stale.read_text().replace('version = "1.0.1"', 'version = "1.0.2"'))
    assert uv("lock", "--check").returncode == 1  # the check would see a stale lock
