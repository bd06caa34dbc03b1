"""Per-package stages on a real npm workspace: one `build@pkg` / `test@pkg` per package, `needs`
mapped along the workspace's dependencies, cache keys that follow a dependency's sources and
built outputs, and `run --affected` running only what a change touched.

The workspace: @acme/utils <- @acme/core <- @acme/cli (each builds src/ to dist/ and imports the
built dist of what it depends on, linked by a real `npm install`), and @acme/extra, which
depends on nothing. Every stage that really runs appends its name to ran.log.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import GitRepo, run_cli
from tests.monorepo import shapes

DEFINITION = shapes.PER_PACKAGE


def _ran(repo: GitRepo, *args: str) -> list[str]:
    """The stages that really ran (not from the cache) in one `shipyard run`."""
    log = repo.path / "ran.log"
    log.unlink(missing_ok=True)
    r = run_cli("run", "--json", *args, cwd=repo.path)
    assert r.returncode == 0, r.stdout + r.stderr
    statuses = {s["name"]: s["status"] for s in json.loads(r.stdout)["stages"]}
    ran = log.read_text().split() if log.is_file() else []
    assert sorted(ran) == sorted(n for n, s in statuses.items() if s == "passed"), statuses
    return sorted(ran)


B, T = "build@@acme/", "test@@acme/"


@pytest.mark.slow
def test_per_package_stages_follow_the_workspace_dependencies(repo: GitRepo) -> None:
    shapes.npm_built(repo, DEFINITION)
    # the expansion: one instance per package, in dependency order, needs mapped per package
    r = run_cli("run", "--dry-run", "--json", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    plan = {p["stage"]: p["needs"] for p in json.loads(r.stdout)["plan"]}
    assert plan[f"{B}utils"] == [] and plan[f"{B}extra"] == []
    assert plan[f"{B}core"] == [f"{B}utils"]
    assert plan[f"{B}cli"] == [f"{B}utils", f"{B}core"]  # ^build: dependencies, transitively
    assert plan[f"{T}cli"] == [f"{B}cli", f"{B}utils", f"{B}core"]  # build: own + dependencies
    assert plan[f"{T}extra"] == [f"{B}extra"]
    assert list(plan).index(f"{B}utils") < list(plan).index(f"{B}core")
    text = run_cli("run", "--dry-run", "test", cwd=repo.path).stdout
    assert f"{T}core (after {B}core, {B}utils): run" in text
    assert "lint" not in text  # `test` names every test@ instance and what they need

    everything = sorted(["lint", *(p + s for p in (B, T) for s in shapes.BUILT_SOURCES)])
    assert _ran(repo) == everything
    assert (repo.path / "packages/cli/dist/index.js").is_file()
    assert _ran(repo) == []  # nothing changed: every package stage from the cache

    # a dependency's source: it and every package above it rebuild and retest; extra does not.
    # test's own inputs are test/** only: the dependents' tests re-run because what the builds
    # they need produced (dist/) changed
    repo.write("packages/utils/src/index.js", "module.exports = 'utils v2';\n")
    assert _ran(repo, "test") == sorted(p + s for p in (B, T) for s in ("utils", "core", "cli"))
    repo.commit("feat(utils): v2")
    # an independent package: only its own stages
    repo.write("packages/extra/src/index.js", "module.exports = 'extra v2';\n")
    assert _ran(repo, "test") == [f"{B}extra", f"{T}extra"]
    # a dependency's tests (inputs of the dependents' test stage too) re-run the dependents'
    repo.write("packages/core/test/index.test.js", "// more tests\n")
    assert _ran(repo, "test") == [f"{T}cli", f"{T}core"]
    repo.commit("test: more")

    # --affected: core changed -> core and cli run; utils' build (needed) comes from the cache;
    # utils' test, extra and the root's lint are skipped, each saying why
    repo.write(
        "packages/core/src/index.js", "module.exports = 'core v3+' + require('@acme/utils');\n"
    )
    r = run_cli("run", "--affected", "--base", "HEAD", "--json", cwd=repo.path)
    assert r.returncode == 0, r.stdout + r.stderr
    got = {s["name"]: (s["status"], s["reason"]) for s in json.loads(r.stdout)["stages"]}
    assert {n for n, (s, _) in got.items() if s == "passed"} == {
        f"{B}core",
        f"{B}cli",
        f"{T}core",
        f"{T}cli",
    }
    assert got[f"{B}utils"][0] == "cached"
    assert got[f"{T}utils"] == ("skipped", "@acme/utils is not affected by the changes since HEAD")
    assert got[f"{T}extra"][0] == got[f"{B}extra"][0] == "skipped"
    assert got["lint"] == ("skipped", "no file under its inputs changed since HEAD")  # tools/**
    # a root file changed: the root's stages run too
    repo.write("tools/mark.js", shapes.BUILT_TOOLS["tools/mark.js"] + "// touched\n")
    assert "lint" in _ran(repo, "--affected", "--base", "HEAD")

    data = json.loads(run_cli("ci", "affected", "--base", "HEAD", "--json", cwd=repo.path).stdout)
    assert data["root_changed"] is True and data["packages"] == ["@acme/core", "@acme/cli"]
    assert data["matrix"]["include"][1]["stages"] == [f"{B}cli", f"{T}cli"]
    assert data["matrix"]["include"][1]["run"] == f"{B}cli {T}cli"


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (
            '[stages.t]\nrun = "x"\nneeds = ["^b"]\n[stages.b]\nrun = "y"\nper-package = true\n',
            "stages.t.needs: '^b' (the dependencies' instances) needs a per-package stage",
        ),
        (
            '[stages.t]\nrun = "x"\nper-package = true\nneeds = ["^b"]\n[stages.b]\nrun = "y"\n',
            "stages.t.needs: '^b': 'b' is not a per-package stage",
        ),
        (
            '[stages.t]\nrun = "x"\nper-package = true\ncwd = "packages"\n',
            "stages.t.cwd: a per-package stage runs in each package's folder: remove cwd",
        ),
        (
            '[stages.t]\nrun = "x"\nper-package = "yes"\n',
            "stages.t.per-package: expected true, false or a list of package names",
        ),
        (
            '[stages.t]\nrun = "x"\nper-package = ["@acme/*"]\ninputs = ["../../../up"]\n',
            "stages.t.inputs: '../../../up' (for package @acme/utils, in packages/utils) is "
            "outside the project",
        ),
        (  # the project itself as output: the cache would copy .shipyard/ into itself
            '[stages.t]\nrun = "x"\nper-package = ["@acme/cli"]\noutputs = ["../.."]\n',
            "stages.t.outputs: '../..' (for package @acme/cli, in packages/cli) is the whole "
            "project",
        ),
        (
            '[stages.t]\nrun = "x"\nper-package = true\noutputs = ["/.shipyard/x"]\n',
            "stages.t.outputs: '/.shipyard/x' is inside .git/ or .shipyard/",
        ),
    ],
)
def test_per_package_mistakes_name_the_key(repo: GitRepo, definition: str, message: str) -> None:
    shapes.npm_three(repo, definition)
    r = run_cli("run", "--dry-run", cwd=repo.path)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_per_package_outside_a_workspace_says_so(repo: GitRepo) -> None:
    repo.write("shipyard.toml", '[stages.t]\nrun = "x"\nper-package = true\n')
    r = run_cli("run", "--dry-run", cwd=repo.path)
    assert r.returncode == 2, r.stderr
    assert "stages.t.per-package" in r.stderr and "is not a workspace" in r.stderr


def test_per_package_globs_name_packages_not_their_fixtures(repo: GitRepo) -> None:
    shapes.pnpm_vite(repo)  # holds a fixture package under packages/vite/src/node/__tests__/
    # which vite's pnpm-workspace.yaml lists as a package too
    repo.write(
        "pnpm-workspace.yaml",
        "packages:\n  - packages/*\n  - playground/**\n  - packages/**/__tests__/**\n",
    )
    with (repo.path / "shipyard.toml").open("a") as fh:
        fh.write('\n[stages.build]\nper-package = ["packages/*"]\nrun = "true"\n')
        fh.write('\n[stages.check]\nper-package = ["@vitejs/*"]\nrun = "true"\n')
    r = run_cli("run", "--dry-run", "--json", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    names = [p["stage"] for p in json.loads(r.stdout)["plan"]]
    assert sorted(names) == [
        "build@@vitejs/plugin-legacy",
        "build@create-vite",
        "build@vite",
        "check@@vitejs/child",
        "check@@vitejs/plugin-legacy",
        "check@@vitejs/test-alias",
    ]


def test_a_stage_in_a_package_folder_keys_on_its_dependencies_too(repo: GitRepo) -> None:
    """The form `shipyard init` writes (one stage per package, `cwd` its folder) gets the same
    dependency-aware cache keys as a per-package stage."""
    shapes.npm_three(
        repo, '[stages.core-test]\nrun = "true"\ncwd = "packages/core"\ninputs = ["*.js"]\n'
    )

    def status() -> str:
        r = run_cli("run", "--json", cwd=repo.path)
        assert r.returncode == 0, r.stdout + r.stderr
        return str(json.loads(r.stdout)["stages"][0]["status"])

    assert status() == "passed"
    assert status() == "cached"
    repo.write("packages/cli/index.js", "module.exports = 'cli v2';\n")  # depends on core
    assert status() == "cached"
    repo.write("packages/utils/index.js", "module.exports = 'utils v2';\n")  # core needs it
    assert status() == "passed"


def test_a_root_file_as_input_of_packages_at_every_depth(repo: GitRepo) -> None:
    """uv's root package is at '.', its members two folders down: `/uv.lock` (project root)
    is the lockfile for all of them, and a change to it misses every instance's cache."""
    shapes.uv_three(repo)
    repo.write("uv.lock", "version = 1\n")
    repo.write(
        "shipyard.toml",
        '[stages.t]\nper-package = true\nrun = "true"\ninputs = ["*.toml", "/uv.lock"]\n',
    )

    def statuses() -> set[str]:
        r = run_cli("run", "--json", cwd=repo.path)
        assert r.returncode == 0, r.stdout + r.stderr
        return {s["status"] for s in json.loads(r.stdout)["stages"]}

    assert statuses() == {"passed"}
    assert statuses() == {"cached"}
    repo.write("uv.lock", "version = 1\nrevision = 2\n")
    assert statuses() == {"passed"}
    # the depth-relative form fits no layout: the message names the file, key and package
    repo.write(
        "shipyard.toml",
        '[stages.t]\nper-package = true\nrun = "true"\ninputs = ["../../uv.lock"]\n',
    )
    r = run_cli("run", "--dry-run", cwd=repo.path)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert (
        "shipyard.toml: stages.t.inputs: '../../uv.lock' (for package acme-app, in .)" in r.stderr
    )
    assert "a leading '/' starts at the project root" in r.stderr
