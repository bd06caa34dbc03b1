"""Real-shaped monorepos for the monorepo tests, built in a real git repository.

- `npm_three`: npm workspaces with three packages that depend on each other
  (@acme/utils <- @acme/core <- @acme/cli), as changesets' and lerna's examples lay them out.
- `pnpm_vite`: a pnpm workspace shaped like vitejs/vite (packages/vite, packages/create-vite,
  packages/plugin-legacy, private playground/), with vite's tags (`v6.0.0` for vite,
  `create-vite@6.1.0`, `plugin-legacy@6.0.0`).
- `uv_three`: a uv workspace (root project `acme-app` + members packages/acme-core and
  packages/acme-extra), as uv's documentation lays one out.
"""

from __future__ import annotations

import json

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
