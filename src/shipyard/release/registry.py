"""The explicit registry of publishers: name -> constructor from the release settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shipyard.release.interface import Publisher
from shipyard.release.settings import Settings


def _npm(s: Settings, work: Path) -> Publisher:
    from shipyard.release.npm import NpmPublisher

    return NpmPublisher(s.npm, work / "npm")


def _pypi(s: Settings, work: Path) -> Publisher:
    from shipyard.release.pypi import PypiPublisher

    return PypiPublisher(s.pypi, work / "pypi")


PUBLISHERS: dict[str, Callable[[Settings, Path], Publisher]] = {"npm": _npm, "pypi": _pypi}


def for_project(root: Path, s: Settings, work: Path) -> list[Publisher]:
    """The publishers `release.publish` names, or every one that fits the project."""
    names = s.publish if s.publish is not None else tuple(PUBLISHERS)
    found = [PUBLISHERS[n](s, work) for n in names]
    return [p for p in found if s.publish is not None or p.applies(root)]


def package_name(publisher: str, root: Path) -> str:
    """The package's name on its registry, from package.json or pyproject.toml."""
    import json
    import tomllib

    if publisher == "npm":
        return str(json.loads((root / "package.json").read_text(encoding="utf-8"))["name"])
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["name"])
