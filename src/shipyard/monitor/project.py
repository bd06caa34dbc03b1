"""Which package this project is: ecosystem, name and version, from its manifest.

package.json wins over pyproject.toml (a Node project may carry Python tooling). A pyproject
with a dynamic version falls back to the installed distribution's metadata.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    ecosystem: str  # "npm" or "pypi"
    name: str
    version: str | None


def identify(root: Path) -> Project | None:
    """The project's package, or None when it has no readable manifest."""
    try:
        pkg = root / "package.json"
        if pkg.is_file():
            data = json.loads(pkg.read_text())
            return Project("npm", str(data.get("name", "")), _text(data.get("version")))
        py = root / "pyproject.toml"
        if py.is_file():
            project = tomllib.loads(py.read_text()).get("project", {})
            name = str(project.get("name", ""))
            return Project("pypi", name, _text(project.get("version")) or _installed(name))
    except (OSError, ValueError):
        return None
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _installed(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name) if name else None
    except metadata.PackageNotFoundError:
        return None
