"""Sample Python and Node projects whose definitions enable every generated workflow."""

from __future__ import annotations

from pathlib import Path

import pytest

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
matrix = { node = ["20.x", "22.x"], os = ["ubuntu-latest", "windows"] }
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
required_reviews = 2
env_example = { AUTOMATOSX_TELEMETRY = "false" }
secrets = ["SLACK_WEBHOOK"]
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
