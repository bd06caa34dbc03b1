"""Miniatures of four real public repositories, their layouts and configuration kept, their code
cut to a few lines. Each seeds coverage below the plan's 80 %.

- `tsup_lib`: egoist/tsup at b6bcae8504d018cfc94203f50f15a3ce43943332, a TypeScript library
  built with tsup (its own build script, dts entry in tsup.config.ts), tested with vitest
  (vitest.config.mts), formatted with prettier, pnpm lockfile, `v8.5.1` tags, a bin. Its
  devDependencies cut to the ones the kept files use, and @vitest/coverage-v8 added (init says
  to add it: the unit stage measures coverage with it).
- `t3env_monorepo`: t3-oss/t3-env at 231b724 (its last pnpm commit), a private pnpm workspace
  root over packages/core and packages/nextjs, `@t3-oss/env-core@0.7.1` tags. Substituted:
  `turbo build|test|typecheck` by `pnpm -r run …` and bunchee by tsup (bunchee pulls swc's
  native binaries: a large download for each test session), vitest ^0.30.1 by ^3.0 (init wires
  @vitest/coverage-v8, which starts at 0.32; added too); the lint script (eslint 8 config), the
  other root tools and zod (the cut code does not import it) are left out.
- `structlog_src`: hynek/structlog at 025edaf799c6d6d511ab672d14c2ba8e885c4c36, a src/ layout
  library: hatchling, dependency groups, pytest with importlib mode, coverage with
  `parallel = true`, ruff, mypy, tox.ini, bare `25.5.0` tags. Substituted: a static version for
  hatch-vcs, and a shorter ruff rule list.
- `tldr_flat`: tldr-pages/tldr-python-client at 85eda9793fff693caf0b5c9099950b6b1aec9982, an
  application: one module `tldr.py` with a console script, flat `tests/test_tldr.py`, flake8,
  hatchling with the version read from tldr.py, runtime dependencies (termcolor kept; shtab
  left out), bare `3.4.4` tags.

Node miniatures are installed as their CI does: their committed lockfile (`lock`), and after
init a fresh checkout runs the install init names (`pnpm install --frozen-lockfile`,
flow.ci_install) from the npm registry, through the session's pnpm store
(tests/registry_cache.py). Python ones are installed with their own `pip install -e .` into a
virtual environment of their own (`install_python`), offline: it sees the test environment's
packages, which include their dependencies.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.conftest import GitRepo

DATA = Path(__file__).parent / "data"

TSUP_PACKAGE = {
    "name": "tsup",
    "version": "8.5.1",
    "packageManager": "pnpm@10.22.0",
    "description": "Bundle your TypeScript library with no config, powered by esbuild",
    "license": "MIT",
    "files": ["/dist"],
    "main": "dist/index.js",
    "types": "dist/index.d.ts",
    "bin": {"tsup": "dist/cli-default.js"},
    "scripts": {
        "build": "tsup src/cli-default.ts src/index.ts --clean --splitting",
        "test": "pnpm run build && pnpm run test-only",
        "format": "prettier --write .",
        "test-only": "vitest run",
    },
    "devDependencies": {
        "@types/node": "22.13.4",
        "@vitest/coverage-v8": "3.0.6",
        "prettier": "3.5.1",
        "tsup": "8.3.6",
        "typescript": "5.7.3",
        "vitest": "3.0.6",
    },
    "engines": {"node": ">=18"},
}


def _json(data: object) -> str:
    return json.dumps(data, indent=2) + "\n"


def lock(repo: GitRepo, name: str) -> None:
    """The pnpm-lock.yaml the maintainer commits (tests/init/data/NAME: written by `pnpm install
    --lockfile-only` with pnpm 9.15 on this layout on 2026-12-02; t3-env's with
    `--config.resolution-mode=lowest-direct`, as a lockfile of its time resolved its ranges, which
    also lets the two miniatures share most of the session's pnpm store)."""
    (repo.path / "pnpm-lock.yaml").write_bytes((DATA / name / "pnpm-lock.yaml").read_bytes())


def tsup_lib(repo: GitRepo) -> None:
    repo.write("package.json", _json(TSUP_PACKAGE))
    repo.write(".prettierrc", '{\n  "singleQuote": true,\n  "semi": false\n}\n')
    repo.write(".prettierignore", "pnpm-lock.yaml\n.cache\ndist\nnode_modules\n*.log\n")
    repo.write(".gitignore", "node_modules\n*.log\ndist\n.cache\nplayground\n.idea\n")
    repo.write(  # as prettier formats it: the lint stage checks it
        "tsconfig.json",
        "{\n"
        '  "compilerOptions": {\n'
        '    "target": "esnext",\n'
        '    "lib": ["es2022"],\n'
        '    "module": "esnext",\n'
        '    "moduleResolution": "node",\n'
        '    "types": ["node"],\n'
        '    "strict": true,\n'
        '    "noUnusedLocals": true,\n'
        '    "declaration": true,\n'
        '    "outDir": "./dist",\n'
        '    "esModuleInterop": true,\n'
        '    "isolatedModules": true,\n'
        '    "skipLibCheck": true\n'
        "  }\n"
        "}\n",
    )
    repo.write(
        "tsup.config.ts",
        "import { defineConfig } from 'tsup'\n\n"
        "export default defineConfig({\n"
        "  name: 'tsup',\n"
        "  target: 'node18',\n"
        "  dts: {\n"
        "    // build types for `src/index.ts` only\n"
        "    entry: './src/index.ts',\n"
        "  },\n"
        "})\n",
    )
    repo.write(
        "vitest.config.mts",
        "import { defineConfig } from 'vitest/config'\n\n"
        "export default defineConfig({\n"
        "  test: {\n"
        "    testTimeout: 50000,\n"
        "    include: ['test/*.test.ts', 'src/**/*.test.ts'],\n"
        "  },\n"
        "})\n",
    )
    repo.write(
        "src/index.ts",
        "export type Options = { entry: string[]; format?: 'cjs' | 'esm' }\n\n"
        "export const defineConfig = (options: Options): Options => options\n\n"
        "export function formats(options: Options): string[] {\n"
        "  return [options.format ?? 'cjs']\n"
        "}\n\n"
        "export function watch(options: Options): string {\n"
        "  const files = options.entry.join(', ')\n"
        "  const mode = options.format === 'esm' ? 'module' : 'commonjs'\n"
        "  return `watching ${files} as ${mode}`\n"
        "}\n",
    )
    repo.write(
        "src/cli-default.ts",
        "#!/usr/bin/env node\n"
        "if (process.argv.includes('--version')) {\n"
        "  console.log('8.5.1')\n"
        "}\n",
    )
    repo.write(
        "test/index.test.ts",
        "import { expect, test } from 'vitest'\n"
        "import { defineConfig, formats } from '../src/index'\n\n"
        "test('defineConfig', () => {\n"
        "  expect(formats(defineConfig({ entry: ['a.ts'] }))).toEqual(['cjs'])\n"
        "})\n",
    )
    lock(repo, "tsup")
    repo.commit("feat: bundle typescript")
    repo.tag("v8.5.1")


def t3env_monorepo(repo: GitRepo) -> None:
    repo.write(
        "package.json",
        _json(
            {
                "name": "@t3-oss/env-root",
                "packageManager": "pnpm@8.6.3",
                "private": True,
                "type": "module",
                "scripts": {
                    "build": "pnpm -r run build",
                    "test": "pnpm -r run test",
                    "typecheck": "pnpm -r run typecheck",
                },
                "dependencies": {
                    "@types/node": "^18.15.13",
                    "@vitest/coverage-v8": "^3.0.6",
                    "typescript": "^5.0.4",
                    "vitest": "^3.0.6",
                },
            }
        ),
    )
    repo.write("pnpm-workspace.yaml", "packages:\n  - packages/*\n")
    repo.write(  # the local env-core, not the published one, for env-nextjs's "0.7.1"
        ".npmrc", "save-workspace-protocol=false\nprefer-workspace-packages=true\n"
    )
    repo.write(".gitignore", "node_modules\ndist\n.turbo\n")
    repo.write(
        "tsconfig.json",
        _json(
            {
                "compilerOptions": {
                    "target": "es2022",
                    "module": "esnext",
                    "moduleResolution": "bundler",
                    "strict": True,
                    "skipLibCheck": True,
                    "types": [],
                    "noEmit": True,
                },
                "include": ["packages/*/src", "packages/*/test"],
            }
        ),
    )
    for name, body in (
        (
            "core",
            "export function createEnv<T extends Record<string, string>>(opts: {\n"
            "  runtimeEnv: T\n}): T {\n  return opts.runtimeEnv\n}\n\n"
            "export function describe(keys: string[]): string {\n"
            "  const sorted = [...keys].sort()\n"
            "  return sorted.join(', ')\n}\n",
        ),
        (
            "nextjs",
            "export function clientPrefix(name: string): boolean {\n"
            "  return name.startsWith('NEXT_PUBLIC_')\n}\n",
        ),
    ):
        folder = f"packages/{name}"
        repo.write(
            f"{folder}/package.json",
            _json(
                {
                    "name": f"@t3-oss/env-{name}",
                    "version": "0.7.1",
                    "type": "module",
                    "exports": {".": {"types": "./dist/index.d.ts", "import": "./dist/index.js"}},
                    "files": ["dist"],
                    "scripts": {
                        "build": "tsup src/index.ts --format esm --dts",
                        "test": "vitest run",
                        "typecheck": "tsc --noEmit -p ../../tsconfig.json",
                    },
                    **({"dependencies": {"@t3-oss/env-core": "0.7.1"}} if name == "nextjs" else {}),
                    "devDependencies": {"tsup": "^8.3.6", "typescript": "^5.0.4"},
                }
            ),
        )
        repo.write(f"{folder}/src/index.ts", body)
        first = body.split("(")[0].removeprefix("export function ").split("<")[0]
        repo.write(
            f"{folder}/test/smoke.test.ts",
            "import { expect, test } from 'vitest'\n"
            f"import {{ {first} }} from '../src/index'\n\n"
            f"test('{first}', () => {{\n  expect({first}).toBeTypeOf('function')\n}})\n",
        )
    lock(repo, "t3env")
    repo.commit("feat: typesafe env")
    repo.tag("@t3-oss/env-core@0.7.1")
    repo.tag("@t3-oss/env-nextjs@0.7.1")


STRUCTLOG_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"


[project]
name = "structlog"
version = "25.5.0"
description = "Structured Logging for Python"
requires-python = ">=3.10"
license = "MIT OR Apache-2.0"
dependencies = ["typing-extensions; python_version<'3.11'"]

[dependency-groups]
tests = ["pytest>=6.0"]
typing = ["mypy>=1.4"]
dev = [
    {include-group = "tests"},
    {include-group = "typing"},
]


[tool.pytest.ini_options]
addopts = ["--strict-markers", "--strict-config", "--import-mode=importlib"]
testpaths = "tests"
xfail_strict = true


[tool.coverage.run]
parallel = true
branch = true
source = ["structlog"]


[tool.ruff]
src = ["src", "tests"]
line-length = 79

[tool.ruff.lint]
select = ["E", "F", "I", "UP", "B"]


[tool.mypy]
strict = true
"""

STRUCTLOG_TOX = """\
[tox]
env_list =
    3.1{0-5}-tests,
    coverage-report

[testenv]
package = wheel
dependency_groups = tests
deps = coverage[toml]
commands = coverage run -m pytest {posargs}
"""


def structlog_src(repo: GitRepo) -> None:
    repo.write("pyproject.toml", STRUCTLOG_PYPROJECT)
    repo.write("tox.ini", STRUCTLOG_TOX)
    repo.write("README.md", "# structlog\n")
    repo.write(".gitignore", "*.pyc\n.tox\ndist\nbuild\n.coverage*\n")
    repo.write(
        "src/structlog/__init__.py",
        '"""Structured logging."""\n\n'
        "from structlog._base import BoundLogger, get_logger\n\n"
        '__all__ = ["BoundLogger", "get_logger"]\n',
    )
    repo.write(
        "src/structlog/_base.py",
        '"""The bound logger."""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import Any\n\n\n"
        "class BoundLogger:\n"
        "    def __init__(self, context: dict[str, Any]) -> None:\n"
        "        self._context = context\n\n"
        "    def bind(self, **values: Any) -> BoundLogger:\n"
        "        return BoundLogger({**self._context, **values})\n\n"
        "    def render(self, event: str) -> str:\n"
        "        pairs = sorted(self._context.items())\n"
        '        fields = " ".join(f"{k}={v!r}" for k, v in pairs)\n'
        '        return f"{event} {fields}".strip()\n\n'
        "    def unbind(self, *keys: str) -> BoundLogger:\n"
        "        context = dict(self._context)\n"
        "        for key in keys:\n"
        "            if key in context:\n"
        "                del context[key]\n"
        "        return BoundLogger(context)\n\n"
        "    def new(self) -> BoundLogger:\n"
        "        return BoundLogger({})\n\n\n"
        "def get_logger() -> BoundLogger:\n"
        "    return BoundLogger({})\n",
    )
    repo.write("src/structlog/py.typed", "")
    repo.write("tests/__init__.py", "")
    repo.write(
        "tests/test_base.py",
        "from structlog import get_logger\n\n\n"
        "def test_bind() -> None:\n"
        '    assert get_logger().bind(a=1).render("hi") == "hi a=1"\n',
    )
    repo.commit("feat: structured logging")
    repo.tag("25.5.0")


TLDR_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "tldr"
dynamic = ["version"]
description = "Official Python command line client for tldr pages."
readme = "README.md"
license = "MIT"
requires-python = ">=3.10"
dependencies = [
    "colorama==0.4.6; sys_platform=='win32'",
    "termcolor",
]
[project.optional-dependencies]
cli = [
    "pytest",
    "flake8",
]

[project.scripts]
tldr = "tldr:cli"

[tool.hatch.version]
path = "tldr.py"
attr = "__version__"

[tool.hatch.build.targets.sdist]
include = [
    "tldr.py",
    "README.md",
]
"""

TLDR = """\
#!/usr/bin/env python3
# PYTHON_ARGCOMPLETE_OK

import sys

from termcolor import colored

__version__ = "3.4.4"
__client_specification__ = "2.3"


def get_platform() -> str:
    for key in ("linux", "darwin", "win32"):
        if sys.platform.startswith(key):
            return key
    return "linux"


def output(page: list[str], plain: bool = False) -> None:
    for line in page:
        if plain:
            print(line)
        elif line.startswith("#"):
            print(colored(line[1:].strip(), "white", attrs=["bold"]))
        elif line.startswith(">"):
            print(colored(line[1:].strip(), "white"))
        else:
            print(colored(line, "green"))


def update_cache(language: str = "en") -> str:
    pages = "pages" if language == "en" else "pages." + language
    return pages + "/" + get_platform()


def cli() -> None:
    if "--version" in sys.argv:
        print("tldr v{} (Client Specification {})".format(
            __version__, __client_specification__))
        sys.exit(0)
    output(["# tldr", "> no page"])


if __name__ == "__main__":
    cli()
"""


def tldr_flat(repo: GitRepo) -> None:
    repo.write("pyproject.toml", TLDR_PYPROJECT)
    repo.write("requirements.txt", "termcolor\ncolorama==0.4.6; sys_platform=='win32'\n")
    repo.write(
        ".flake8", "[flake8]\nmax-line-length = 120\nexclude = .git,__pycache__,build,dist,.venv\n"
    )
    repo.write("README.md", "# tldr-python-client\n")
    repo.write(".gitignore", "*.pyc\nbuild/\ndist/\n*.egg-info\n.venv/\n")
    repo.write("tldr.py", TLDR)
    repo.write("tests/__init__.py", "")
    repo.write(
        "tests/test_tldr.py",
        "import tldr\n\n\n"
        "def test_platform():\n"
        '    assert tldr.get_platform() in ("linux", "darwin", "win32")\n',
    )
    repo.commit("feat: tldr client")
    repo.tag("3.4.4")


def install_python(repo: GitRepo) -> dict[str, str]:
    """The project's own install command, `pip install -e .`, run by the interpreter of a new
    virtual environment beside the repository (outside it: the tree stays clean); the
    environment the stages then run in (that venv's bin first on PATH, VIRTUAL_ENV set).

    Kept offline and cheap: the venv is created without pip and sees the test environment's
    packages through one .pth line (pip, pytest, coverage, hatchling and the miniatures'
    dependencies), so `--no-build-isolation --no-index` finds everything already installed;
    the project itself is what gets installed into the venv, and is imported from there."""
    venv = repo.path.parent / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = sysconfig.get_paths()["purelib"]
    own = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(own, "_test_environment.pth").write_text(purelib + "\n")
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-index"]
    install += ["--no-build-isolation", "-e", "."]
    done = subprocess.run(install, cwd=repo.path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    bin_dirs = [str(venv / "bin"), str(Path(sys.executable).parent)]
    return {
        "PATH": os.pathsep.join([*bin_dirs, os.environ.get("PATH", "")]),
        "VIRTUAL_ENV": str(venv),
    }
