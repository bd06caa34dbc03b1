"""Sample projects for the release tests: a Node package and a Python package in a git repo."""

from __future__ import annotations

import json

from tests.conftest import GitRepo


def node_project(repo: GitRepo, registry: str, github: str, name: str = "shipyard-demo") -> None:
    repo.write(
        "package.json",
        json.dumps(
            {
                "name": name,
                "version": "1.0.0",
                "description": "demo",
                "main": "index.js",
                "files": ["index.js"],
                "license": "MIT",
            },
            indent=2,
        )
        + "\n",
    )
    repo.write(
        "package-lock.json",
        json.dumps(
            {
                "name": name,
                "version": "1.0.0",
                "lockfileVersion": 3,
                "requires": True,
                "packages": {"": {"name": name, "version": "1.0.0", "license": "MIT"}},
            },
            indent=2,
        )
        + "\n",
    )
    repo.write("index.js", "module.exports = () => 'hello';\n")
    repo.write(".gitignore", ".shipyard/\nnode_modules/\n")
    repo.write(
        "shipyard.toml",
        f"""\
[stages.test]
run = ["node -e \\"require('./index.js')\\"", "env"]
release = true

[release]
repository = "acme/demo"
publish = ["npm"]

[release.npm]
registry = "{registry}"

[release.github]
api-url = "{github}"
""",
    )
    repo.commit("feat: first version")
    repo.tag("v1.0.0", "release 1.0.0")


def python_project(repo: GitRepo, index: str, github: str, name: str = "shipyard-demo-py") -> None:
    module = name.replace("-", "_")
    repo.write(
        "pyproject.toml",
        f"""\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "1.0.0"
description = "demo"
readme = "README.md"
requires-python = ">=3.8"
license = {{text = "MIT"}}

[tool.setuptools.packages.find]
where = ["src"]

[tool.shipyard.release]
repository = "acme/demo"
publish = ["pypi"]

[tool.shipyard.release.pypi]
repository-url = "{index}"
username = "shipper"
build-isolation = false

[tool.shipyard.release.github]
api-url = "{github}"
""",
    )
    repo.write("README.md", "# demo\n\nA demo package.\n")
    repo.write(f"src/{module}/__init__.py", '"""Demo."""\n\n__version__ = "1.0.0"\n')
    repo.write(".gitignore", ".shipyard/\n*.egg-info/\nbuild/\n")
    repo.commit("feat: first version")
    repo.tag("v1.0.0", "release 1.0.0")
