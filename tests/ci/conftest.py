"""Sample Python and Node projects whose definitions enable every generated workflow."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.ci.act import Runner, prepare_tool_cache
from tests.conftest import GitRepo, git

PYTHON_PYPROJECT = """\
[project]
name = "samplepy"
version = "0.1.0"
requires-python = ">=3.11"

[project.optional-dependencies]
test = ["pytest"]

[tool.shipyard.stages.lint]
run = "ruff check ."
inputs = ["src", "tests", "pyproject.toml"]
reports = { lint = "ruff.json" }

[tool.shipyard.stages.typecheck]
run = "mypy src"
inputs = ["src/**/*.py"]

[tool.shipyard.stages.build]
run = "python -m build"
inputs = ["src", "pyproject.toml"]
outputs = ["dist"]

[tool.shipyard.stages.unit]
run = "pytest tests --junitxml=junit.xml"
needs = ["build"]
inputs = ["src", "tests"]
reports = { junit = "junit.xml" }
matrix = { python = ["3.11", "3.12"], os = ["linux", "macos"] }
shard = 3

[tool.shipyard.stages.integration]
run = "pytest tests/integration"
needs = ["unit"]
timeout = "10m"

[tool.shipyard.stages.security]
run = "python -c 'print(1)'"
when = { on = ["push", "pr", "schedule"] }
critical = false
reports = { sarif = "scan.sarif" }

[tool.shipyard.stages.bench]
run = "python bench.py"
when = { on = ["push", "schedule"], schedule = "0 2 * * *", changed = ["src/**", "bench.py"] }

[tool.shipyard.stages.publish-check]
run = "twine check dist/*"
needs = ["build"]
release = true

[tool.shipyard.ci]
python = "3.11"
"""

NODE_PACKAGE = (
    '{"name": "@acme/samplets", "version": "1.0.0", '
    '"scripts": {"build": "tsup", "test": "vitest run"}}\n'
)

NODE_DEFINITION = """\
[stages.lint]
run = ["eslint src", "prettier --check src"]
inputs = ["src/**/*.ts", "eslint.config.js"]

[stages.typecheck]
run = "tsc --noEmit"
inputs = ["src", "tsconfig.json"]

[stages.build]
run = "tsup"
needs = ["typecheck"]
inputs = ["src", "tsup.config.ts", "package-lock.json"]
outputs = ["dist"]
reports = { bundle = "dist" }

[stages.unit]
run = "npx vitest run --reporter=junit --outputFile=junit.xml"
needs = ["build"]
inputs = ["src", "test"]
reports = { junit = "junit.xml", coverage = "coverage/lcov.info" }
matrix = { node = ["20.x", "22.x"], os = ["ubuntu-latest", "macos"] }
shard = 2
env = { NODE_ENV = "test" }

[stages.e2e]
run = "npx vitest run -c vitest.e2e.config.ts"
needs = ["build"]
when = { on = ["push"], branches = ["main", "release/*"] }

[stages.bench]
run = "npx vitest bench --run"
when = { on = ["schedule"], schedule = "0 2 * * *" }

[stages.deploy-docs]
run = "npm run docs"
when = "tag"

[release]

[ci]
branches = ["main", "develop"]
node = "20.x"
required-reviews = 2
env-example = { AUTOMATOSX_TELEMETRY = "false" }
secrets = ["SLACK_WEBHOOK"]
codecov = true

# the plan's Dependabot settings (its assignee there is a team, which Dependabot refuses)
[ci.dependabot]
reviewers = ["defai-sg/core-team"]
assignees = ["octocat"]
labels = ["dependencies", "security"]
versioning-strategy = "increase"

[[ci.dependabot.ignore]]
dependency-name = "node"
update-types = ["version-update:semver-major"]

[[ci.dependabot.ignore]]
dependency-name = "typescript"
versions = [">=6"]
ecosystem = "npm"
"""


def _repo(tmp_path: Path, name: str) -> GitRepo:
    path = tmp_path / name
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    return GitRepo(path)


@pytest.fixture
def python_project(tmp_path: Path) -> Path:
    repo = _repo(tmp_path, "samplepy")
    repo.write("pyproject.toml", PYTHON_PYPROJECT)
    repo.write("src/samplepy/__init__.py", "")
    repo.write("tests/test_one.py", "def test_one():\n    assert True\n")
    return repo.path


@pytest.fixture
def node_project(tmp_path: Path) -> Path:
    repo = _repo(tmp_path, "samplets")
    repo.write("package.json", NODE_PACKAGE)
    repo.write("package-lock.json", '{"lockfileVersion": 3}\n')
    repo.write("shipyard.toml", NODE_DEFINITION)
    repo.write("src/index.ts", "export const x = 1;\n")
    return repo.path


TOOLS_DEFINITION = """\
[stages.build]
run = "python -m build"

[scan]

[bench]
"""


@pytest.fixture
def tools_project(tmp_path: Path) -> Path:
    """No scan or benchmark stage, but `[scan]` and `[bench]`: their commands get workflows."""
    repo = _repo(tmp_path, "tools")
    repo.write("shipyard.toml", TOOLS_DEFINITION)
    repo.write("requirements.txt", "build\n")
    return repo.path


# --- act: the generated workflows executed (tests/ci/act.py) ------------------------------

from tests.release.conftest import (  # noqa: E402  (the registries the release tests start)
    TOKEN_PASSWORD,
    TOKEN_USER,
    Registry,
    pypiserver,
    verdaccio,
)

__all__ = ["pypiserver", "verdaccio"]
ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def _built_once(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Path | None]:
    """A folder made once per test run, shared by every xdist worker (they all live under
    the run's base temp folder): yields where to build it, or None when it is ready."""
    import fcntl

    root = _shared_root(tmp_path_factory)
    folder = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait for the first one's build
        if (folder / ".ready").is_file():
            yield None
            return
        shutil.rmtree(folder, ignore_errors=True)  # a build that failed half-way
        folder.mkdir()
        yield folder
        (folder / ".ready").write_text("")


@pytest.fixture(scope="session")
def shipyard_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout: what `pip install shipyard==VERSION` gets (built
    once for the whole run)."""
    import subprocess
    import sys

    with _built_once(tmp_path_factory, "act-shipyard-wheel") as out:
        if out is not None:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "wheel",
                    "-q",
                    "--no-deps",
                    "-w",
                    str(out),
                    str(ROOT),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
    folder = _shared_root(tmp_path_factory) / "act-shipyard-wheel"
    return next(folder.glob("shipyard-*.whl"))


def _shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def package_index(pypiserver: Registry, shipyard_wheel: Path) -> Registry:
    """The local pypiserver, holding shipyard's wheel (uploaded with twine, as a release)."""
    import subprocess
    import sys

    subprocess.run(
        [
            sys.executable,
            "-m",
            "twine",
            "upload",
            "--non-interactive",
            "--disable-progress-bar",
            "--repository-url",
            pypiserver.url,
            "-u",
            TOKEN_USER,
            "-p",
            TOKEN_PASSWORD,
            str(shipyard_wheel),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pypiserver


@pytest.fixture
def runner(act_runner: Runner, tmp_path: Path) -> Runner:
    """The session's act set-up, with an Actions cache of this test's own."""
    return act_runner.for_test(tmp_path / "actions-cache")


@pytest.fixture(scope="session")
def act_runner(tmp_path_factory: pytest.TempPathFactory, package_index: Registry) -> Runner:
    """One act set-up for every act test: its action cache, tool cache, npm cache."""
    base = tmp_path_factory.mktemp("act")
    with _built_once(tmp_path_factory, "act-toolcache") as folder:
        if folder is not None:  # read-only for the jobs: setup-python hard-links a copy
            prepare_tool_cache(folder / "python")
    python = _shared_root(tmp_path_factory) / "act-toolcache" / "python"
    return Runner(base, python, package_index.url + "simple/")


@pytest.fixture
def osv_mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local stand-in of OSV's bucket (`BASE/PyPI/all.zip`), served over HTTP."""
    import subprocess
    import sys

    from tests.release.conftest import free_port, stop, wait_http

    folder = tmp_path / "osv-bucket"
    folder.mkdir()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc)
        yield f"http://127.0.0.1:{port}", folder
    finally:
        stop(proc)
