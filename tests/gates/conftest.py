"""Sample projects for the gate tests, built once per session by running the real tools.

`py_sample`: a git repository whose main branch has a small package, and a branch `feature`
that changes it; its reports come from pytest + coverage.py, ruff, mypy and ruff format.
`ts_sample`: a TypeScript project whose reports come from vitest (coverage v8: lcov,
json-summary, cobertura; junit), eslint, tsc and prettier. Tests copy a sample before changing it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gates import sample_py

SAMPLES = Path(__file__).parent / "samples"
NODE_MODULES = Path(__file__).parents[1] / "node" / "node_modules"


def clean_env(home: Path) -> dict[str, str]:
    """The environment for sample tools: no outer pytest/coverage settings, a private HOME."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("COV_", "COVERAGE", "PYTEST", "GITHUB_")) and k != "CI"
    }
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Sample",
        GIT_AUTHOR_EMAIL="sample@example.invalid",
        GIT_COMMITTER_NAME="Sample",
        GIT_COMMITTER_EMAIL="sample@example.invalid",
    )
    return env


def sh(command: str, cwd: Path, env: dict[str, str], ok: tuple[int, ...] = (0,)) -> str:
    cp = subprocess.run(  # nosec B602 - the tests run their own fixed commands
        command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert cp.returncode in ok, f"{command}: {cp.returncode}\n{cp.stdout}\n{cp.stderr}"
    return cp.stdout


PY_REPORTS = (
    f"{sys.executable} -m pytest -q -p no:cacheprovider --cov=src --cov-branch "
    "--cov-report=xml:coverage.xml --cov-report=json:coverage.json "
    "--cov-report=lcov:coverage.lcov --junitxml=junit.xml tests",
    "ruff check --no-cache --output-format json src > ruff.json",
    "mypy --no-incremental src > mypy.txt",
    "mypy --no-incremental -O json src > mypy.json",
    "ruff format --no-cache --check src > format.txt",
)


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def build_py(path: Path, env: dict[str, str]) -> Path:
    write(path, sample_py.BASE)
    sh("git init -q -b main && git add -A && git commit -qm base", path, env)
    sh("git checkout -q -b feature", path, env)
    write(path, {"src/calc/extra.py": sample_py.EXTRA})
    with (path / "src" / "calc" / "__init__.py").open("a") as fh:
        fh.write(sample_py.APPENDED)
    sh("git add -A && git commit -qm feature", path, env)
    env = {**env, "PYTHONPATH": str(path / "src")}
    for command in PY_REPORTS:
        sh(command, path, env, ok=(0, 1))
    return path


def build_ts(path: Path, env: dict[str, str]) -> Path:
    shutil.copytree(SAMPLES / "ts", path)
    (path / "node_modules").symlink_to(NODE_MODULES)
    sh("git init -q -b main && git add -A && git commit -qm base", path, env)
    bins = "node_modules/.bin"
    sh(f"{bins}/vitest run --coverage", path, env)
    sh(f"{bins}/eslint -f json src > eslint.json", path, env, ok=(0, 1))
    sh(f"{bins}/tsc -p . --diagnostics > tsc.txt", path, env, ok=(0, 1, 2))
    sh(f"{bins}/prettier --check src > prettier.txt 2>&1", path, env, ok=(0, 1))
    return path


@pytest.fixture(scope="session")
def py_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("py-home")
    return build_py(tmp_path_factory.mktemp("py") / "sample", clean_env(home))


@pytest.fixture(scope="session")
def ts_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (NODE_MODULES / ".bin" / "vitest").exists():
        pytest.fail(f"the Node test tools are missing: run npm ci in {NODE_MODULES.parent}")
    home = tmp_path_factory.mktemp("ts-home")
    return build_ts(tmp_path_factory.mktemp("ts") / "sample", clean_env(home))


@pytest.fixture
def py_copy(py_sample: Path, tmp_path: Path) -> Path:
    """A private copy of the Python sample (git history and reports included)."""
    dest = tmp_path / "py"
    shutil.copytree(py_sample, dest, symlinks=True)
    # the tools wrote absolute paths: make the copy's reports name the copy's files
    for report in ("coverage.xml", "coverage.json", "coverage.lcov", "ruff.json", "mypy.json"):
        path = dest / report
        path.write_text(path.read_text().replace(str(py_sample), str(dest)))
    return dest
