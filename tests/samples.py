"""Small real projects for end-to-end tests: a Python package and a TypeScript package.

The TypeScript sample links `node_modules` to tests/node/node_modules, installed once by
.ci/run, so tests run the real tsc, eslint, vitest and tsup without touching the network.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import GitRepo

NODE_MODULES = Path(__file__).resolve().parent / "node" / "node_modules"

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "demo-pkg"
version = "1.2.3"
requires-python = ">=3.11"

[project.optional-dependencies]
test = ["pytest", "pytest-cov", "ruff", "mypy"]

[project.scripts]
demo = "demo_pkg.cli:main"

[tool.hatch.build.targets.wheel]
packages = ["src/demo_pkg"]

[tool.ruff]
line-length = 100

[tool.mypy]
strict = true
files = ["src"]

[tool.coverage.run]
source = ["demo_pkg"]

[tool.pytest.ini_options]
pythonpath = ["src"]
"""


def python_project(repo: GitRepo) -> GitRepo:
    repo.write("pyproject.toml", PYPROJECT)
    repo.write("README.md", "# demo\n")
    repo.write("src/demo_pkg/__init__.py", '"""Demo."""\n\n__version__ = "1.2.3"\n')
    repo.write(
        "src/demo_pkg/cli.py",
        (
            '"""The demo CLI."""\n\nimport sys\n\nfrom demo_pkg import __version__\n\n\n'
            "def add(a: int, b: int) -> int:\n    return a + b\n\n\n"
            'def main() -> int:\n    if "--version" in sys.argv:\n        print(__version__)\n'
            "    return 0\n"
        ),
    )
    repo.write(
        "tests/test_cli.py",
        ("from demo_pkg.cli import add\n\n\ndef test_add() -> None:\n    assert add(2, 3) == 5\n"),
    )
    repo.write(".gitignore", "dist/\n.shipyard/\n*.xml\nruff.json\n.coverage\n")
    repo.commit("feat: demo package")
    return repo


PACKAGE = {
    "name": "demo-ts",
    "version": "1.0.0",
    "type": "module",
    "main": "dist/index.js",
    "bin": {"demo-ts": "dist/cli.js"},
    "devDependencies": {
        "typescript": "*",
        "vitest": "*",
        "@vitest/coverage-v8": "*",
        "eslint": "*",
        "@eslint/js": "*",
        "typescript-eslint": "*",
        "tsup": "*",
    },
}


def node_project(repo: GitRepo) -> GitRepo:
    repo.write("package.json", json.dumps(PACKAGE, indent=2) + "\n")
    (repo.path / "node_modules").symlink_to(NODE_MODULES)
    repo.write(
        "tsconfig.json",
        json.dumps(
            {
                "compilerOptions": {
                    "target": "ES2022",
                    "module": "ESNext",
                    "moduleResolution": "Bundler",
                    "strict": True,
                    "skipLibCheck": True,
                    "noEmit": True,
                    "types": [],
                },
                "include": ["src", "tests"],
            },
            indent=2,
        ),
    )
    repo.write(
        "tsup.config.ts",
        (
            "import { defineConfig } from 'tsup';\n"
            "export default defineConfig({ entry: ['src/index.ts', 'src/cli.ts'], format: ['esm'],"
            " clean: true, banner: { js: '#!/usr/bin/env node' } });\n"
        ),
    )
    repo.write(
        "eslint.config.js",
        (
            "import js from '@eslint/js';\nimport tseslint from 'typescript-eslint';\n"
            "export default tseslint.config(js.configs.recommended,"
            " ...tseslint.configs.recommended,"
            " { ignores: ['dist/', 'coverage/', 'node_modules/'] });\n"
        ),
    )
    repo.write(
        "src/index.ts",
        "export function add(a: number, b: number): number {\n"
        "  return a + b;\n}\n\nexport const VERSION = '1.0.0';\n",
    )
    repo.write(
        "src/cli.ts",
        "import { VERSION } from './index.js';\n\n"
        "if (process.argv.includes('--version')) console.log(VERSION);\n",
    )
    repo.write(
        "tests/index.test.ts",
        "import { expect, test } from 'vitest';\n"
        "import { add } from '../src/index.js';\n\n"
        "test('add', () => { expect(add(2, 3)).toBe(5); });\n",
    )
    repo.write(".gitignore", "node_modules\ndist/\ncoverage/\n.shipyard/\njunit.xml\neslint.json\n")
    repo.commit("feat: demo ts package")
    return repo
