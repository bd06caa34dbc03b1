"""`init` then `run` then `release --dry-run` on miniatures of four real repositories
(tests/init/layouts.py says which, and at which commit): the definition has the project's
commands, reports and gates; the run measures coverage, which each miniature seeds below 80 %,
so the gates fail the run; the dry run runs the release stages and stops on the same gates."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GitRepo, run_cli
from tests.init import layouts
from tests.samples import NODE_MODULES


def _definition(repo: GitRepo) -> dict[str, Any]:
    path = repo.path / "shipyard.toml"
    if path.is_file():
        return tomllib.loads(path.read_text())
    shipyard: dict[str, Any] = tomllib.loads((repo.path / "pyproject.toml").read_text())["tool"][
        "shipyard"
    ]
    return shipyard


def _init(repo: GitRepo, env: dict[str, str] | None = None) -> dict[str, Any]:
    r = run_cli("init", cwd=repo.path, env=env)
    assert r.returncode == 0, r.stderr
    repo.commit("feat: the whole pipeline, from shipyard init")  # a release is due
    assert repo.git("status", "--porcelain") == ""
    return _definition(repo)


def _run_fails_on_coverage(repo: GitRepo, env: dict[str, str] | None = None) -> dict[str, Any]:
    r = run_cli("run", "--json", cwd=repo.path, env=env, timeout=600)
    data: dict[str, Any] = json.loads(r.stdout)
    failed = {
        s["name"]: (s["status"], s["log"] and Path(s["log"]).read_text()[-3000:])
        for s in data["stages"]
        if s["status"] not in ("passed", "cached", "skipped") and s["critical"]
    }
    # every critical stage ran and passed (security is not critical: without an advisory
    # database here it fails closed) ...
    assert failed == {}, failed
    assert r.returncode == 1 and data["gates_passed"] is False  # ... but the gates did not
    history = run_cli("gate", "--history", "1", "--format", "json", cwd=repo.path)
    evaluation = json.loads(history.stdout)[0]
    status = {g["gate"]: g["status"] for g in evaluation["gates"]}
    assert status["coverage.lines"] == "failed", status
    return data


def _release_dry_run_runs_the_release_stages(repo: GitRepo, env: dict[str, str] | None) -> None:
    assert repo.git("status", "--porcelain") == ""  # everything the run wrote is ignored
    r = run_cli("release", "--dry-run", cwd=repo.path, env=env, timeout=600)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "dry run: the release stages failed (the quality gates): a release would stop here" in (
        r.stderr
    )
    runs = json.loads(run_cli("runs", "--json", cwd=repo.path).stdout)
    assert len(runs) == 2  # the dry run ran the release stages (from the cache, unchanged)


def _needs_node() -> None:
    if not NODE_MODULES.is_dir():
        pytest.fail("tests/node/node_modules is missing: run `npm ci` in tests/node (.ci/run does)")


@pytest.mark.node
@pytest.mark.slow
def test_tsup_library(repo: GitRepo) -> None:
    _needs_node()
    layouts.tsup_lib(repo)
    d = _init(repo)
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
    data = _run_fails_on_coverage(repo)
    build = Path(next(s["log"] for s in data["stages"] if s["name"] == "build")).read_text()
    assert "validate: tsc --noEmit dist/index.d.ts: ok" in build
    assert "validate: ./dist/cli-default.js --version: ok" in build
    _release_dry_run_runs_the_release_stages(repo, None)
    # the generated workflows run the tests and the build on pushes, not only on release
    assert run_cli("ci", "generate", cwd=repo.path).returncode == 0
    workflows = repo.path / ".github" / "workflows"
    assert "run: shipyard run unit" in (workflows / "test.yml").read_text()
    assert "run: shipyard run build" in (workflows / "build.yml").read_text()


@pytest.mark.node
@pytest.mark.slow
def test_pnpm_monorepo(repo: GitRepo) -> None:
    _needs_node()
    layouts.t3env_monorepo(repo)
    r = run_cli("init", "--explain", cwd=repo.path)
    assert "workspace packages: @t3-oss/env-core (packages/core), @t3-oss/env-nextjs " in r.stdout
    d = _init(repo)
    stages = d["stages"]
    assert stages["typecheck"]["run"] == "pnpm run typecheck"
    assert stages["build"] == {
        "run": "pnpm run build",
        "inputs": stages["typecheck"]["inputs"],
        "budget": "3m",
        "release": True,
    }  # a monorepo root: no dist/ of its own to check or measure
    assert stages["unit"]["reports"] == {"junit": "junit.xml", "coverage": "coverage/lcov.info"}
    assert d["release"]["publish"] == []  # the root is private
    _run_fails_on_coverage(repo)
    for package in ("core", "nextjs"):
        assert (repo.path / "packages" / package / "dist" / "index.d.ts").is_file()
    _release_dry_run_runs_the_release_stages(repo, None)


@pytest.mark.slow
def test_python_src_layout_library(repo: GitRepo) -> None:
    layouts.structlog_src(repo)
    env = layouts.python_env(repo, "src")
    d = _init(repo, env)
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
    _run_fails_on_coverage(repo, env)
    _release_dry_run_runs_the_release_stages(repo, env)


@pytest.mark.slow
def test_python_application_with_flat_tests(repo: GitRepo) -> None:
    layouts.tldr_flat(repo)
    env = layouts.python_env(repo, ".")
    d = _init(repo, env)
    stages = d["stages"]
    assert stages["lint"]["run"] == ["flake8 ."]
    assert "typecheck" not in stages
    assert stages["unit"]["run"].startswith(
        "python -m pytest tests --junitxml=junit-unit.xml --cov=tldr --cov-branch"
    )
    assert stages["build"]["run"][-1] == "shipyard validate python dist --import tldr --cli tldr"
    assert d["release"]["tag-format"] == "{version}"
    data = _run_fails_on_coverage(repo, env)
    build = Path(next(s["log"] for s in data["stages"] if s["name"] == "build")).read_text()
    # the wheel needs termcolor: imported with the project's interpreter, which has it
    assert "validate: import tldr: ok" in build and "validate: tldr --version: ok" in build
    _release_dry_run_runs_the_release_stages(repo, env)
