"""`shipyard init` on real sample projects, and `shipyard run` on what it writes."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli
from tests.samples import NODE_MODULES, node_project, python_project


def test_init_python_writes_tool_shipyard_and_keeps_pyproject(repo: GitRepo) -> None:
    python_project(repo)
    before = (repo.path / "pyproject.toml").read_text()
    r = run_cli("init", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(
        "wrote [tool.shipyard] in pyproject.toml: lint, typecheck, build, unit, security\n"
    )
    after = (repo.path / "pyproject.toml").read_text()
    assert after.startswith(before)
    stages = tomllib.loads(after)["tool"]["shipyard"]["stages"]
    assert stages["typecheck"]["run"] == "mypy"  # [tool.mypy] files = ["src"] is respected
    assert stages["unit"]["reports"] == {"junit": "junit-unit.xml", "coverage": "coverage.xml"}
    assert stages["build"]["run"][-1] == (
        "python -m shipyard.toolchains.validate python dist --import demo_pkg --cli demo"
    )
    assert stages["security"] == {"run": "shipyard scan", "critical": False, "budget": "3m"}
    assert stages["lint"]["budget"] == "2m" and stages["build"]["budget"] == "3m"


def test_init_refuses_to_overwrite_without_force(repo: GitRepo) -> None:
    python_project(repo)
    assert run_cli("init", cwd=repo.path).returncode == 0
    r = run_cli("init", cwd=repo.path)
    assert (r.returncode, r.stderr) == (
        2,
        "error: pyproject.toml already holds a pipeline definition\n"
        "  hint: use --force to replace it, or --print to see the proposal\n",
    )
    assert run_cli("init", "--force", cwd=repo.path).returncode == 0


def test_init_print_writes_nothing(repo: GitRepo) -> None:
    python_project(repo)
    before = (repo.path / "pyproject.toml").read_text()
    r = run_cli("init", "--print", cwd=repo.path)
    assert r.stdout.startswith("[tool.shipyard.stages.lint]\n")
    assert (repo.path / "pyproject.toml").read_text() == before


def test_init_nothing_to_detect(repo: GitRepo) -> None:
    r = run_cli("init", cwd=repo.path)
    assert r.returncode == 2
    assert r.stderr.startswith("error: found no Python (pyproject.toml) or Node (package.json)")


def test_init_node_detects_tools_and_lockfile(repo: GitRepo) -> None:
    node_project(repo)
    repo.write("pnpm-lock.yaml", "lockfileVersion: '9.0'\n")
    data = json.loads((repo.path / "package.json").read_text())
    data["scripts"] = {"test:integration": "vitest run tests/integration"}
    repo.write("package.json", json.dumps(data))
    r = run_cli("init", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    stages = tomllib.loads((repo.path / "shipyard.toml").read_text())["stages"]
    assert list(stages) == ["lint", "typecheck", "build", "unit", "integration", "security"]
    assert stages["typecheck"]["run"] == "tsc --noEmit"
    assert stages["build"]["run"] == [
        "tsup",
        "python -m shipyard.toolchains.validate node dist --import dist/index.js --cli dist/cli.js",
    ]
    assert stages["integration"] == {
        "run": "pnpm run test:integration",
        "needs": ["build"],
        "inputs": stages["unit"]["inputs"],
        "budget": "5m",
    }
    assert stages["unit"]["reports"] == {"junit": "junit.xml", "coverage": "coverage/lcov.info"}


def test_init_mixed_project_gets_both(repo: GitRepo) -> None:
    python_project(repo)
    node_project(repo)
    assert run_cli("init", cwd=repo.path).returncode == 0
    stages = tomllib.loads((repo.path / "pyproject.toml").read_text())["tool"]["shipyard"]["stages"]
    assert {"lint", "unit", "node-lint", "node-unit", "node-build"} <= set(stages)


@pytest.mark.slow
def test_python_sample_end_to_end(repo: GitRepo) -> None:
    """init, then run the real ruff, mypy, pytest+coverage and build, then a cached re-run."""
    python_project(repo)
    assert run_cli("init", cwd=repo.path).returncode == 0
    repo.commit("ci: shipyard")
    r = run_cli("run", "--json", "lint", "typecheck", "unit", "build", cwd=repo.path, timeout=300)
    data = json.loads(r.stdout)
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert {s["name"]: s["status"] for s in data["stages"]} == {
        "lint": "passed",
        "typecheck": "passed",
        "build": "passed",
        "unit": "passed",
    }
    assert (repo.path / "coverage.xml").is_file() and list((repo.path / "dist").glob("*.whl"))
    again = json.loads(run_cli("run", "--json", "lint", "unit", cwd=repo.path).stdout)
    assert {s["status"] for s in again["stages"]} == {"cached"}
    tests = json.loads(run_cli("runs", "show", "1", "--json", cwd=repo.path).stdout)["tests"]
    assert tests["tests"] == 1 and tests["failures"] == 0


@pytest.mark.slow
def test_python_build_validation_catches_a_broken_cli(repo: GitRepo) -> None:
    python_project(repo)
    repo.write("src/demo_pkg/cli.py", "raise SystemExit('broken at import')\n")
    repo.commit("fix: break it")
    assert run_cli("init", cwd=repo.path).returncode == 0
    r = run_cli("run", "build", cwd=repo.path, timeout=300)
    assert r.returncode == 1
    assert "validate: demo --version: FAILED" in r.stdout


@pytest.mark.node
@pytest.mark.slow
def test_node_sample_end_to_end(repo: GitRepo) -> None:
    if not NODE_MODULES.is_dir():
        pytest.fail("tests/node/node_modules is missing: run `npm ci` in tests/node (.ci/run does)")
    node_project(repo)
    assert run_cli("init", cwd=repo.path).returncode == 0
    r = run_cli("run", "--json", "lint", "typecheck", "build", "unit", cwd=repo.path, timeout=300)
    data = json.loads(r.stdout)
    assert r.returncode == 0, (
        r.stdout,
        r.stderr,
        [
            (s["name"], Path(s["log"]).read_text())
            for s in data["stages"]
            if s["status"] == "failed"
        ],
    )
    assert (repo.path / "coverage" / "lcov.info").is_file()
    assert (repo.path / "junit.xml").is_file()
    assert (repo.path / "dist" / "index.js").is_file()
