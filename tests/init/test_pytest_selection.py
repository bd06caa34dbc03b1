"""The Python unit stage keeps the project's own test selection: `-n auto` when the project runs
pytest-xdist, and its `network` tests left out when it declares that marker (pypa/build at
b317437: its suite, network tests included and serial, took 14 min)."""

from __future__ import annotations

import tomllib

from tests.conftest import GitRepo, run_cli

PYPROJECT = """\
[project]
name = "sel"
version = "0.1.0"

[project.optional-dependencies]
test = ["pytest", "pytest-cov", "pytest-xdist"]

[tool.pytest.ini_options]
addopts = ["-ra", "--strict-markers"]
markers = ["isolated", "network: needs the internet"]
"""
TESTS = """\
import pytest


def test_local() -> None:
    assert 1 + 1 == 2


@pytest.mark.network
def test_download() -> None:
    raise AssertionError("a network test ran")
"""


def test_xdist_and_the_network_marker_are_kept(repo: GitRepo) -> None:
    repo.write("pyproject.toml", PYPROJECT)
    repo.write("sel.py", "VALUE = 1\n")
    repo.write("tests/test_sel.py", TESTS)
    repo.commit("feat: sel")
    r = run_cli("init", "--print", "--explain", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert 'network tests left out: -m "not network"\n    from pyproject.toml [tool.pytest' in (
        r.stdout + r.stderr
    )
    r = run_cli("init", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    unit = tomllib.loads((repo.path / "pyproject.toml").read_text())["tool"]["shipyard"]["stages"][
        "unit"
    ]
    assert unit["run"].startswith('python -m pytest tests -n auto -m "not network" --junitxml=')
    repo.commit("ci: shipyard")
    r = run_cli("run", "unit", cwd=repo.path, timeout=300)
    junit = (repo.path / "junit-unit.xml").read_text()
    assert "test_local" in junit and "test_download" not in junit, junit
    assert 'tests="1"' in junit and 'failures="0"' in junit, r.stdout + r.stderr


def test_a_network_marker_in_pytest_ini_without_xdist(repo: GitRepo) -> None:
    repo.write("pyproject.toml", '[project]\nname = "sel"\nversion = "0.1.0"\n')
    repo.write("pytest.ini", "[pytest]\nmarkers =\n    slow\n    network: online\n")
    repo.write("tests/test_sel.py", TESTS)
    repo.commit("feat: sel")
    r = run_cli("init", "--print", cwd=repo.path)
    stages = tomllib.loads(r.stdout)["tool"]["shipyard"]["stages"]
    assert stages["unit"]["run"].startswith('python -m pytest tests -m "not network" --junitxml')
