"""Small projects whose generated workflows the act tests run: each is green as written, and
each test seeds the one fault its workflow must catch."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import GitRepo, git

NODE_LOCK = Path(__file__).resolve().parents[1] / "node" / "package-lock.json"

PYPROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "actpy"
version = "0.3.0"
requires-python = ">=3.11"

[project.optional-dependencies]
test = ["pytest", "pytest-cov", "ruff", "mypy"]

[tool.setuptools.packages.find]
where = ["src"]

[tool.mypy]
strict = true

[tool.coverage.run]
branch = true

[tool.shipyard.stages.lint]
run = [
  "ruff check --exit-zero --output-format=json --output-file=ruff.json src tests",
  "ruff check src tests",
]
inputs = ["src/**", "tests/**", "pyproject.toml"]
reports = { lint = "ruff.json" }

[tool.shipyard.stages.build]
run = ["rm -rf dist", "python -m pip wheel -q --no-deps -w dist ."]
inputs = ["src/**", "pyproject.toml"]
outputs = ["dist"]
reports = { bundle = "dist" }

[tool.shipyard.stages.unit]
run = "python -m pytest -q --junitxml=junit.xml --cov=actpy --cov-report=xml:coverage.xml tests"
inputs = ["src/**", "tests/**"]
reports = { junit = "junit.xml", coverage = "coverage.xml" }

[tool.shipyard.gates]

[tool.shipyard.ci]
python = "3.11"
"""

CODE = '''\
"""The sample package."""


def add(a: int, b: int) -> int:
    return a + b
'''

TEST = """\
from actpy import add


def test_add() -> None:
    assert add(2, 3) == 5
"""


def python_sample(repo: GitRepo) -> GitRepo:
    repo.write("pyproject.toml", PYPROJECT)
    repo.write("src/actpy/__init__.py", CODE)
    repo.write("src/actpy/py.typed", "")
    repo.write("tests/test_add.py", TEST)
    repo.write(".gitignore", ".shipyard/\ndist/\nbuild/\n*.egg-info/\n__pycache__/\n")
    return repo


def _lock_entry(name: str) -> dict[str, object]:
    entry = json.loads(NODE_LOCK.read_text())["packages"][f"node_modules/{name}"]
    return {
        k: entry[k]
        for k in ("version", "resolved", "integrity", "dev", "bin", "license", "engines")
        if k in entry
    }


NODE_DEFINITION = """\
[stages.lint]
run = "prettier --check src tests > prettier.txt 2>&1; s=$?; cat prettier.txt; exit $s"
inputs = ["src/**", "tests/**"]
reports = { format = "prettier.txt" }

[stages.typecheck]
run = "tsc --noEmit"
inputs = ["src/**", "tsconfig.json"]

[stages.build]
run = "tsc -p tsconfig.json --noEmit false --outDir dist"
inputs = ["src/**", "tsconfig.json", "package-lock.json"]
outputs = ["dist"]
reports = { bundle = "dist" }

[stages.unit]
run = "node --test --test-reporter=junit --test-reporter-destination=junit.xml tests/"
needs = ["build"]
inputs = ["src/**", "tests/**"]
reports = { junit = "junit.xml" }
"""


def node_sample(repo: GitRepo) -> GitRepo:
    versions = {n: _lock_entry(n)["version"] for n in ("typescript", "prettier")}
    package = {
        "name": "act-ts",
        "version": "1.0.0",
        "type": "module",
        "scripts": {"build": "tsc"},
        "devDependencies": versions,
    }
    lock = {
        "name": "act-ts",
        "version": "1.0.0",
        "lockfileVersion": 3,
        "requires": True,
        "packages": {
            "": {"name": "act-ts", "version": "1.0.0", "devDependencies": versions},
            **{f"node_modules/{n}": _lock_entry(n) for n in versions},
        },
    }
    repo.write("package.json", json.dumps(package, indent=2) + "\n")
    repo.write("package-lock.json", json.dumps(lock, indent=2) + "\n")
    repo.write("shipyard.toml", NODE_DEFINITION)
    tsconfig = {
        "compilerOptions": {
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "strict": True,
            "noEmit": True,
            "types": [],
        },
        "include": ["src"],
    }
    repo.write("tsconfig.json", json.dumps(tsconfig, indent=2) + "\n")
    repo.write(
        "src/index.ts", "export function add(a: number, b: number): number {\n  return a + b;\n}\n"
    )
    repo.write(
        "tests/add.test.mjs",
        'import { test } from "node:test";\nimport assert from "node:assert";\n'
        'import { add } from "../dist/index.js";\n\n'
        'test("add", () => {\n  assert.strictEqual(add(2, 3), 5);\n});\n',
    )
    repo.write(".gitignore", "node_modules/\ndist/\n.shipyard/\njunit.xml\nprettier.txt\n")
    return repo


def commit_all(repo: GitRepo, message: str = "chore: sample") -> str:
    git(repo.path, "add", "-A")
    return repo.commit(message)
