"""`init` then `run` then `release --dry-run` on miniatures of four real repositories
(tests/init/layouts.py says which, and at which commit): the definition has the project's
commands, reports and gates; the run measures coverage, which each miniature seeds below 80 %,
so the gates fail the run; the dry run runs the release stages and stops on the same gates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli
from tests.init import layouts
from tests.init.flow import (
    ci_install,
    init,
    release_dry_run_runs_the_release_stages,
    run_fails_on_coverage,
)
from tests.tools import require


@pytest.mark.node
@pytest.mark.slow
@pytest.mark.timeout(900)  # a real install from the registry: its wall time is the network's
def test_tsup_library(repo: GitRepo, registry_cache: dict[str, str]) -> None:
    require("pnpm")  # its install and its stages
    layouts.tsup_lib(repo)
    d = init(repo, registry_cache)
    assert ci_install(repo, registry_cache) == "pnpm install --frozen-lockfile"
    stages = d["stages"]
    assert stages["lint"]["run"] == ["prettier --check ."]
    assert stages["typecheck"]["run"] == "tsc --noEmit"
    assert stages["build"]["run"] == [
        "pnpm run build",
        "shipyard validate node dist --import dist/index.js --types dist/index.d.ts "
        "--cli dist/cli-default.js",
    ]
    assert stages["unit"]["run"].startswith("vitest run --reporter=default --reporter=junit")
    assert stages["unit"]["reports"] == {"junit": "junit.xml", "coverage": "coverage/lcov.info"}
    assert d["release"] == {"tag-format": "v{version}", "scheme": "semver", "publish": ["npm"]}
    assert set(d["gates"]) == {"base", "coverage", "tests", "bundle"}  # no lint report here
    data = run_fails_on_coverage(repo, registry_cache)
    build = Path(next(s["log"] for s in data["stages"] if s["name"] == "build")).read_text()
    assert "validate: tsc --noEmit dist/index.d.ts: ok" in build
    assert "validate: ./dist/cli-default.js --version: ok" in build
    release_dry_run_runs_the_release_stages(repo, registry_cache)
    # the generated workflows run the tests and the build on pushes, not only on release
    assert run_cli("ci", "generate", cwd=repo.path).returncode == 0
    workflows = repo.path / ".github" / "workflows"
    assert "run: shipyard run unit" in (workflows / "test.yml").read_text()
    assert "run: shipyard run build" in (workflows / "build.yml").read_text()


@pytest.mark.node
@pytest.mark.slow
@pytest.mark.timeout(900)  # a real install from the registry: its wall time is the network's
def test_pnpm_monorepo(repo: GitRepo, registry_cache: dict[str, str]) -> None:
    require("pnpm")  # its install and its stages
    layouts.t3env_monorepo(repo)
    # its per-package tags (`@t3-oss/env-core@0.7.1`) make `release` per package (issue 15):
    # a fix in core since its tag gives the dry run a release to rehearse
    repo.write("packages/core/NOTES.txt", "validation messages name the variable\n")
    repo.commit("fix(core): name the variable in validation messages")
    r = run_cli("init", "--explain", cwd=repo.path)
    assert "workspace packages: @t3-oss/env-core (packages/core), @t3-oss/env-nextjs " in r.stdout
    assert "build: the root's `build` script runs it in every package" in r.stdout
    d = init(repo, registry_cache)
    assert ci_install(repo, registry_cache) == "pnpm install --frozen-lockfile"
    stages = d["stages"]
    # the root's `pnpm -r run …` scripts give way to each package's own stages, in its folder
    assert list(stages) == [
        "core-typecheck",
        "core-build",
        "core-unit",
        "nextjs-typecheck",
        "nextjs-build",
        "nextjs-unit",
        "security",
        "secrets",
    ]
    core = {k: v for k, v in stages.items() if k.startswith("core-")}
    assert {t["cwd"] for t in core.values()} == {"packages/core"}
    assert core["core-typecheck"]["run"] == "pnpm run typecheck"
    assert core["core-build"]["run"] == [
        "pnpm run build",  # its `exports` name the entry and the types
        "shipyard validate node dist --import ./dist/index.js --types ./dist/index.d.ts",
    ]
    assert core["core-build"]["reports"] == {"bundle": "dist"}
    assert "../../pnpm-lock.yaml" in core["core-build"]["inputs"]  # a bump misses the cache
    assert core["core-unit"]["run"].startswith("vitest run --reporter=default --reporter=junit")
    assert core["core-unit"]["reports"] == {"junit": "junit.xml", "coverage": "coverage/lcov.info"}
    assert d["release"]["publish"] == []  # the root is private
    data = run_fails_on_coverage(repo, registry_cache)
    assert {s["name"] for s in data["stages"] if s["status"] == "passed"} >= set(stages) - {
        "security",
        "secrets",
    }
    for package in ("core", "nextjs"):
        assert (repo.path / "packages" / package / "dist" / "index.d.ts").is_file()
        assert (repo.path / "packages" / package / "coverage" / "lcov.info").is_file()
    history = run_cli("gate", "--history", "1", "--format", "json", cwd=repo.path)
    gates = {g["gate"]: g for g in json.loads(history.stdout)["evaluations"][0]["gates"]}
    assert gates["tests.failures"]["status"] == "passed"
    release_dry_run_runs_the_release_stages(repo, registry_cache)


@pytest.mark.slow
def test_python_src_layout_library(repo: GitRepo) -> None:
    layouts.structlog_src(repo)
    env = layouts.install_python(repo)
    d = init(repo, env)
    stages = d["stages"]
    assert stages["lint"]["run"][-1] == "ruff check --no-fix ."
    assert stages["typecheck"]["run"] == "mypy src"
    assert stages["unit"]["run"] == (
        "python -m pytest tests --junitxml=junit-unit.xml --cov --cov-branch "
        "--cov-report=xml:coverage.xml --cov-report=term"
    )  # [tool.coverage.run] names the source
    assert stages["build"]["run"][-1] == "shipyard validate python dist --import structlog"
    assert d["release"] == {"tag-format": "{version}", "scheme": "pep440", "publish": ["pypi"]}
    assert d["gates"]["lint"] == {"errors": 0}
    run_fails_on_coverage(repo, env)
    release_dry_run_runs_the_release_stages(repo, env)


@pytest.mark.slow
def test_python_application_with_flat_tests(repo: GitRepo) -> None:
    layouts.tldr_flat(repo)
    env = layouts.install_python(repo)
    d = init(repo, env)
    stages = d["stages"]
    assert stages["lint"]["run"] == ["flake8 ."]
    assert "typecheck" not in stages
    assert stages["unit"]["run"].startswith(
        "python -m pytest tests --junitxml=junit-unit.xml --cov=tldr --cov-branch"
    )
    assert stages["build"]["run"][-1] == "shipyard validate python dist --import tldr --cli tldr"
    assert d["release"]["tag-format"] == "{version}"
    data = run_fails_on_coverage(repo, env)
    build = Path(next(s["log"] for s in data["stages"] if s["name"] == "build")).read_text()
    # the wheel needs termcolor: imported with the project's interpreter, which has it
    assert "validate: import tldr: ok" in build and "validate: tldr --version: ok" in build
    release_dry_run_runs_the_release_stages(repo, env)
