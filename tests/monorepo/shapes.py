"""Real-shaped monorepos for the monorepo tests, built in a real git repository.

- `npm_three`: npm workspaces with three packages that depend on each other
  (@acme/utils <- @acme/core <- @acme/cli), as changesets' and lerna's examples lay them out.
- `pnpm_vite`: a pnpm workspace shaped like vitejs/vite (packages/vite, packages/create-vite,
  packages/plugin-legacy, private playground/), with vite's tags (`v6.0.0` for vite,
  `create-vite@6.1.0`, `plugin-legacy@6.0.0`).
- `npm_built`: `npm_three` plus an independent package, each building src/ to dist/, linked by
  a real `npm install` (the per-package stage tests).
- `uv_three`: a uv workspace (root project `acme-app` + members packages/acme-core and
  packages/acme-extra), as uv's documentation lays one out.
"""

from __future__ import annotations

import json
import subprocess

from tests.conftest import GitRepo


def npm_package(
    repo: GitRepo, folder: str, name: str, deps: dict[str, str], **extra: object
) -> None:
    body = {
        "name": name,
        "version": "1.0.0",
        "main": "index.js",
        "files": ["index.js"],
        "license": "MIT",
        "dependencies": deps,
        **extra,
    }
    repo.write(f"{folder}/package.json", json.dumps(body, indent=2) + "\n")
    repo.write(f"{folder}/index.js", f"module.exports = {json.dumps(name)};\n")


def npm_three(repo: GitRepo, definition: str = "") -> None:
    repo.write(
        "package.json",
        json.dumps({"name": "acme", "private": True, "workspaces": ["packages/*"]}, indent=2)
        + "\n",
    )
    repo.write(".gitignore", ".shipyard/\nnode_modules/\n")
    npm_package(repo, "packages/utils", "@acme/utils", {})
    npm_package(repo, "packages/core", "@acme/core", {"@acme/utils": "^1.0.0"})
    npm_package(repo, "packages/cli", "@acme/cli", {"@acme/core": "^1.0.0"})
    if definition:
        repo.write("shipyard.toml", definition)
    repo.commit("feat: first versions")
    for name in ("@acme/utils", "@acme/core", "@acme/cli"):
        repo.tag(f"{name}@1.0.0", f"{name} 1.0.0")


def pnpm_vite(repo: GitRepo) -> None:
    repo.write("package.json", json.dumps({"name": "@vitejs/vite-monorepo", "private": True}))
    repo.write("pnpm-workspace.yaml", "packages:\n  - packages/*\n  - playground/**\n")
    repo.write(
        "shipyard.toml",
        '[workspace]\ntag-format = "{unscoped}@{version}"\n\n'
        '[workspace.tag-formats]\nvite = "v{version}"\n',
    )
    npm_package(repo, "packages/vite", "vite", {}, version="6.0.0")
    npm_package(repo, "packages/create-vite", "create-vite", {}, version="6.1.0")
    npm_package(
        repo,
        "packages/plugin-legacy",
        "@vitejs/plugin-legacy",
        {"vite": "workspace:*"},
        version="6.0.0",
    )
    npm_package(
        repo, "playground/alias", "@vitejs/test-alias", {"vite": "workspace:*"}, private=True
    )
    # a test fixture that is a package for pnpm only (not private, as in vite): never released
    npm_package(repo, "packages/vite/src/node/__tests__/packages/child", "@vitejs/child", {})
    repo.commit("chore: release")
    for tag in ("v6.0.0", "create-vite@6.1.0", "plugin-legacy@6.0.0"):
        repo.tag(tag, tag)


def uv_package(repo: GitRepo, folder: str, name: str, deps: list[str]) -> None:
    prefix = f"{folder}/" if folder != "." else ""
    module = name.replace("-", "_")
    sources = "".join(f"{d.split('>')[0].split('=')[0]} = {{ workspace = true }}\n" for d in deps)
    repo.write(
        f"{prefix}pyproject.toml",
        f"""\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "1.0.0"
description = "{name}"
readme = "README.md"
requires-python = ">=3.8"
dependencies = {json.dumps(deps)}

[tool.setuptools]
packages = ["{module}"]

[tool.uv.sources]
{sources}""",
    )
    repo.write(f"{prefix}{module}/__init__.py", f"NAME = {name!r}\n")
    repo.write(f"{prefix}README.md", f"# {name}\n\nPart of the acme workspace.\n")


def uv_three(repo: GitRepo) -> None:
    uv_package(repo, ".", "acme-app", ["acme-core>=1.0.0"])
    with (repo.path / "pyproject.toml").open("a") as fh:
        fh.write('\n[tool.uv.workspace]\nmembers = ["packages/*"]\n')
    uv_package(repo, "packages/acme-core", "acme-core", [])
    uv_package(repo, "packages/acme-extra", "acme-extra", ["acme-core>=1.0.0"])
    repo.write(".gitignore", ".shipyard/\n*.egg-info/\nbuild/\ndist/\n")
    repo.commit("feat: first versions")
    for name in ("acme-app", "acme-core", "acme-extra"):
        repo.tag(f"{name}@1.0.0", f"{name} 1.0.0")


def hatch_three(repo: GitRepo) -> None:
    """A hatch workspace as hatch 1.16's docs lay one out: the root project `acme-suite` and
    `[tool.hatch.envs.default] workspace.members` (a glob, a `{path, features}` member, an
    exclusion), plus a hatch.toml environment naming a tools folder."""
    repo.write(
        "pyproject.toml",
        """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "acme-suite"
version = "2.0.0"
dependencies = ["acme-cli>=2.0.0"]

[tool.hatch.envs.default]
workspace.members = ["packages/*", {path = "plugins/acme-plugin", features = ["dev"]}]
workspace.exclude = ["packages/experimental*"]
""",
    )
    repo.write("hatch.toml", '[envs.tools]\nworkspace.members = ["tools/acme-lint"]\n')
    for folder, name, deps in (
        ("packages/core", "acme-core", []),
        ("packages/cli", "acme-cli", ["acme-core>=2.0.0", "click>=8"]),
        ("packages/experimental-x", "acme-experimental", []),
        ("plugins/acme-plugin", "acme.plugin", ["Acme_Core[fast]>=2.0.0"]),
        ("tools/acme-lint", "acme-lint", []),
    ):
        repo.write(
            f"{folder}/pyproject.toml",
            f'[project]\nname = "{name}"\nversion = "2.0.0"\ndependencies = {json.dumps(deps)}\n',
        )
        repo.write(f"{folder}/src/{name.replace('-', '_').replace('.', '_')}.py", "X = 1\n")
    repo.commit("feat: first versions")


def poetry_three(repo: GitRepo) -> None:
    """A poetry multi-package repository: a `package-mode = false` root whose path
    dependencies name the packages (Poetry 1 `[tool.poetry]` metadata for two of them, Poetry 2
    `[project]` for the third), members naming their siblings by path and by version."""
    repo.write(
        "pyproject.toml",
        """\
[tool.poetry]
package-mode = false

[tool.poetry.dependencies]
python = "^3.10"
acme-api = {path = "services/api", develop = true}

[tool.poetry.group.dev.dependencies]
acme-models = {path = "libs/models", develop = true}
""",
    )
    repo.write(
        "libs/models/pyproject.toml",
        '[tool.poetry]\nname = "acme-models"\nversion = "0.3.0"\n\n'
        '[tool.poetry.dependencies]\npython = "^3.10"\n',
    )
    repo.write(
        "services/api/pyproject.toml",
        '[tool.poetry]\nname = "acme-api"\nversion = "1.2.0"\n\n'
        '[tool.poetry.dependencies]\npython = "^3.10"\nacme-models = "^0.3.0"\n'
        'acme-auth = {path = "../../libs/auth", develop = true}\n',
    )
    repo.write(
        "libs/auth/pyproject.toml",
        '[project]\nname = "acme-auth"\nversion = "0.1.0"\ndependencies = []\n\n'
        '[tool.poetry.group.dev.dependencies]\nacme-models = {version = "^0.3.0"}\n',
    )
    for folder in ("libs/models", "services/api", "libs/auth"):
        repo.write(f"{folder}/src/mod.py", "X = 1\n")
    repo.commit("feat: first versions")
    for tag in ("acme-models@0.3.0", "acme-api@1.2.0", "acme-auth@0.1.0"):
        repo.tag(tag, tag)


BUILT_TOOLS = {
    "tools/build.js": """\
const fs = require("fs"), path = require("path");
fs.mkdirSync("dist", { recursive: true });
fs.copyFileSync("src/index.js", "dist/index.js");
fs.appendFileSync(path.join(__dirname, "..", "ran.log"), process.env.SHIPYARD_STAGE + "\\n");
""",
    "tools/check.js": """\
const fs = require("fs"), path = require("path");
const value = require(path.resolve("dist/index.js"));
if (process.env.SHIPYARD_PACKAGE !== require(path.resolve("package.json")).name) process.exit(3);
fs.appendFileSync(path.join(__dirname, "..", "ran.log"), process.env.SHIPYARD_STAGE + "\\n");
console.log(value);
""",
    "tools/mark.js": """\
require("fs").appendFileSync("ran.log", process.env.SHIPYARD_STAGE + "\\n");
""",
}
BUILT_SOURCES = {
    "utils": "module.exports = 'utils';\n",
    "core": "module.exports = 'core+' + require('@acme/utils');\n",
    "cli": "module.exports = 'cli+' + require('@acme/core');\n",
    "extra": "module.exports = 'extra';\n",
}


# the per-package pipeline npm_built is run with (tests/monorepo, tests/ci/test_act_affected.py):
# a root lint stage, builds waiting for their dependencies' builds, tests for their own build
PER_PACKAGE = """\
[stages.lint]
run = "node tools/mark.js"
inputs = ["tools/**"]

[stages.build]
per-package = true
needs = ["^build"]
run = "node ../../tools/build.js"
inputs = ["src/**"]
outputs = ["dist"]

[stages.test]
per-package = true
needs = ["build"]
run = "node ../../tools/check.js"
inputs = ["test/**"]
"""


def npm_built(repo: GitRepo, definition: str) -> None:
    """`npm_three` plus @acme/extra (no dependencies), each package building src/ to dist/
    (tools/build.js) and importing the built dist of what it depends on, linked by a real
    offline `npm install`; every stage that really runs appends its name to ran.log."""
    npm_three(repo, definition)
    npm_package(repo, "packages/extra", "@acme/extra", {})
    for name, text in {
        **BUILT_TOOLS,
        ".gitignore": ".shipyard/\nnode_modules/\ndist/\nran.log\n",
    }.items():
        repo.write(name, text)
    for short, source in BUILT_SOURCES.items():
        body = json.loads((repo.path / f"packages/{short}/package.json").read_text())
        body["main"] = "dist/index.js"
        repo.write(f"packages/{short}/package.json", json.dumps(body, indent=2) + "\n")
        repo.write(f"packages/{short}/src/index.js", source)
        repo.write(f"packages/{short}/test/index.test.js", "// the package's tests\n")
        (repo.path / f"packages/{short}/index.js").unlink()
    subprocess.run(
        ["npm", "install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=repo.path,
        check=True,
        capture_output=True,
    )
    repo.commit("build: src to dist in every package")


# uv.lock of uv_three as uv writes it (one registry package beside the members)
UV_LOCK = """\
version = 1
revision = 2
requires-python = ">=3.8"

[manifest]
members = [
    "acme-app",
    "acme-core",
    "acme-extra",
]

[[package]]
name = "acme-app"
version = "1.0.0"
source = { editable = "." }
dependencies = [
    { name = "acme-core" },
]

[package.metadata]
requires-dist = [{ name = "acme-core", editable = "packages/acme-core", specifier = ">=1.0.0" }]

[[package]]
name = "acme-core"
version = "1.0.0"
source = { editable = "packages/acme-core" }

[[package]]
name = "acme-extra"
version = "1.0.0"
source = { editable = "packages/acme-extra" }
dependencies = [
    { name = "acme-core" },
    { name = "idna" },
]

[package.metadata]
requires-dist = [
    { name = "acme-core", editable = "packages/acme-core", specifier = ">=1.0.0" },
    { name = "idna", specifier = ">=1.0.0" },
]

[[package]]
name = "idna"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/idna-1.0.0.tar.gz", hash = "sha256:00" }
"""
