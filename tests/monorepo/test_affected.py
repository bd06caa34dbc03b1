"""`run --affected` and `ci affected --json` on real-shaped monorepos: only the stages of the
packages a change touched (and of their dependents) run; the matrix lists the same packages."""

from __future__ import annotations

import json

import yaml

from tests.conftest import GitRepo, run_cli
from tests.monorepo import shapes

STAGES = """\
[stages.lint]
run = "touch ran.txt"
inputs = ["**/*.js"]

[stages.docs]
run = "true"
inputs = ["docs/**"]

[stages.audit]
run = "true"

[stages.utils-test]
run = "touch ran.txt"
cwd = "packages/utils"

[stages.core-test]
run = "touch ran.txt"
cwd = "packages/core"

[stages.cli-test]
run = "touch ran.txt"
cwd = "packages/cli"
"""


def _statuses(repo: GitRepo, *args: str) -> dict[str, tuple[str, str]]:
    r = run_cli("run", "--affected", "--json", *args, cwd=repo.path)
    assert r.returncode == 0, r.stdout + r.stderr
    return {s["name"]: (s["status"], s["reason"]) for s in json.loads(r.stdout)["stages"]}


def test_run_affected_runs_only_touched_packages_and_dependents(repo: GitRepo) -> None:
    shapes.npm_three(repo, STAGES)
    repo.write(".gitignore", ".shipyard/\nnode_modules/\nran.txt\n")
    repo.commit("chore: ignore the stage marks")
    repo.git("checkout", "-q", "-b", "topic")
    repo.write("packages/core/index.js", "module.exports = 'v2';\n")
    repo.commit("feat(core): v2")
    got = _statuses(repo)  # default base: the merge base with main
    assert got["core-test"][0] == got["cli-test"][0] == "passed"
    base = repo.git("rev-parse", "main").strip()
    # a root stage runs when a changed file (a package's too) is under its inputs, or on any
    # change without inputs; not when its inputs saw nothing new
    assert got["lint"][0] == got["audit"][0] == "passed"
    assert got["docs"] == ("skipped", f"no file under its inputs changed since {base}")
    assert got["utils-test"] == (
        "skipped",
        f"@acme/utils is not affected by the changes since {repo.git('rev-parse', 'main').strip()}",
    )
    assert not (repo.path / "packages/utils/ran.txt").exists()
    assert (repo.path / "packages/cli/ran.txt").exists()

    r = run_cli("ci", "affected", "--base", "main", "--json", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["schema_version"] == 1 and data["base"] == "main" and data["changed"] == 1
    assert data["packages"] == ["@acme/core", "@acme/cli"]
    assert data["matrix"]["include"][0] == {
        "package": "@acme/core",
        "folder": "packages/core",
        "registry": "npm",
        "stages": ["core-test"],
        "run": "core-test",
    }
    # an untracked file in utils counts too; then nothing changed: every stage is skipped
    repo.write("packages/utils/new.js", "1;\n")
    assert _statuses(repo, "--base", "HEAD")["utils-test"][0] == "passed"
    (repo.path / "packages/utils/new.js").unlink()
    quiet = _statuses(repo, "--base", "HEAD")
    assert {status for status, _ in quiet.values()} == {"skipped"}
    assert quiet["lint"][1] == "nothing changed since HEAD"

    bad = run_cli("run", "--base", "main", cwd=repo.path)
    assert bad.returncode == 2 and "--base goes with --affected" in bad.stderr
    missing = run_cli("run", "--affected", "--base", "nope", cwd=repo.path)
    assert (
        missing.returncode == 2 and "nope" in missing.stderr and "Traceback" not in missing.stderr
    )


def test_ci_affected_on_uv_and_pnpm_workspaces(repo: GitRepo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    shapes.uv_three(repo)
    repo.write("packages/acme-core/acme_core/__init__.py", "NAME = 'core'\nX = 1\n")
    data = json.loads(run_cli("ci", "affected", "--base", "HEAD", "--json", cwd=repo.path).stdout)
    assert data["packages"] == ["acme-core", "acme-app", "acme-extra"]
    repo.commit("fix(core): x")
    repo.write("packages/acme-extra/acme_extra/__init__.py", "NAME = 'extra'\nY = 2\n")
    data = json.loads(run_cli("ci", "affected", "--base", "HEAD", "--json", cwd=repo.path).stdout)
    assert data["packages"] == ["acme-extra"]

    vite = GitRepo(tmp_path / "vite")
    vite.path.mkdir()
    vite.git("init", "-q", "-b", "main")
    shapes.pnpm_vite(vite)
    vite.write("packages/vite/src/index.js", "export {};\n")
    out = run_cli("ci", "affected", "--base", "HEAD", cwd=vite.path)
    assert out.returncode == 0, out.stderr
    # the private playground depends on vite: it is affected too (it has tests to run)
    assert out.stdout.splitlines() == [
        "vite (packages/vite): no stage of its own",
        "@vitejs/plugin-legacy (packages/plugin-legacy): no stage of its own",
        "@vitejs/test-alias (playground/alias): no stage of its own",
    ]


TEMPLATES = """\
[stages.build]
per-package = true
needs = ["^build"]
run = "true"

[stages.test]
per-package = true
needs = ["build"]
run = "true"

[stages.publish]
per-package = true
release = true
run = "npm publish"

[stages.nightly]
per-package = true
when = "schedule"
run = "npm run e2e"

[ci.stage-install]
test = ["npm ci"]
publish = ["echo never on a push"]
"""


def test_the_packages_matrix_runs_what_a_push_runs(repo: GitRepo) -> None:
    """No release stage, no `when = "schedule"` stage in the push/PR matrix (the nightly one
    stays in a scheduled workflow); `[ci.stage-install]` of the stages a row runs applies."""
    shapes.npm_three(repo, TEMPLATES)
    repo.write("packages/core/index.js", "module.exports = 'v2';\n")
    r = run_cli("ci", "affected", "--base", "HEAD", "--json", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)["matrix"]["include"]
    assert [row["run"] for row in rows] == [
        "build@@acme/core test@@acme/core",
        "build@@acme/cli test@@acme/cli",
    ]
    assert run_cli("ci", "generate", cwd=repo.path).returncode == 0
    flows = repo.path / ".github/workflows"
    packages = yaml.safe_load((flows / "packages.yml").read_text())
    steps = {s.get("name"): s for s in packages["jobs"]["package"]["steps"]}
    assert steps["Install what test needs"]["run"] == "npm ci\n"
    assert (
        steps["Install what test needs"]["if"] == "contains(format(' {0}', matrix.run), ' test@')"
    )
    assert "Install what publish needs" not in steps
    nightly = [f for f in flows.glob("*.yml") if "shipyard run nightly" in f.read_text()]
    assert len(nightly) == 1 and "schedule" in yaml.safe_load(nightly[0].read_text())[True]


WHEN = """\
[stages.build]
per-package = true
run = "true"

[stages.docs]
per-package = ["@acme/core"]
run = "true"
when = { changed = ["**/*.md"] }

[stages.deploy]
per-package = ["@acme/core"]
run = "true"
when = { branches = ["main", "release/*"] }
"""


def test_when_changed_and_branches_apply_to_the_matrix_and_run_affected(repo: GitRepo) -> None:
    """A per-package stage's `when.changed` / `when.branches` keep it out of the `ci affected`
    matrix as they keep it from `run --affected`; a detached HEAD (a pull request's merge
    commit) is on no branch and not filtered by branches."""
    shapes.npm_three(repo, WHEN)
    repo.git("checkout", "-q", "-b", "topic")
    repo.write("packages/core/index.js", "module.exports = 'v2';\n")
    repo.commit("feat(core): v2")

    def runs() -> list[str]:
        r = run_cli("ci", "affected", "--base", "main", "--json", cwd=repo.path)
        assert r.returncode == 0, r.stderr
        return [row["run"] for row in json.loads(r.stdout)["matrix"]["include"]]

    assert runs() == ["build@@acme/core", "build@@acme/cli"]
    got = _statuses(repo, "--base", "main")
    assert got["build@@acme/core"][0] == "passed"
    assert got["docs@@acme/core"] == (
        "skipped",
        "no file under its when.changed changed since main",
    )
    assert got["deploy@@acme/core"] == ("skipped", "when.branches does not include topic")
    repo.write("packages/core/README.md", "# core\n")
    repo.git("checkout", "-q", "-b", "release/2")
    assert runs() == ["build@@acme/core docs@@acme/core deploy@@acme/core", "build@@acme/cli"]
    repo.commit("docs(core): readme")
    repo.git("checkout", "-q", "--detach", "topic")
    assert runs() == ["build@@acme/core deploy@@acme/core", "build@@acme/cli"]
