"""Python multi-package layouts, for shipyard.workspace: which folders a uv, hatch or poetry
root declares, and what one pyproject.toml says about its package.

- uv: `[tool.uv.workspace] members` / `exclude` (globs; the root project is a member).
- hatch (1.16+): `workspace.members` / `workspace.exclude` of any `[tool.hatch.envs.NAME]`
  (or `[envs.NAME]` in hatch.toml); a member is a folder glob or `{path = ..., features = ...}`.
- poetry (no workspace table of its own): the root's path dependencies
  (`core = {path = "packages/core", develop = true}` in `[tool.poetry.dependencies]` or a
  `[tool.poetry.group.NAME.dependencies]`), followed through the members' own path
  dependencies.

A package's name and version come from `[project]`, else `[tool.poetry]` (Poetry 1); its
dependencies from `[project]` dependencies and extras, `[dependency-groups]` and the poetry
dependency tables, names normalised as PEP 503 does.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from shipyard.errors import UsageError

_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
Loader = Callable[[Path, Any], dict[str, Any]]


def declared(root: Path, load: Loader) -> tuple[str | None, list[str]]:
    """(kind, folder globs with '!' exclusions) of a Python workspace root, or (None, [])."""
    pyproject = root / "pyproject.toml"
    data = load(pyproject, tomllib.loads) if pyproject.is_file() else {}
    tool = _table(data.get("tool"))
    uv = _table(_table(tool.get("uv")).get("workspace"))
    if uv.get("members"):
        members = _strings(uv["members"], pyproject, "tool.uv.workspace.members")
        excluded = _strings(uv.get("exclude", []), pyproject, "tool.uv.workspace.exclude")
        return "uv", [".", *members, *(f"!{e}" for e in excluded)]
    hatch = _hatch(root, tool, load)
    if hatch:
        return "hatch", [".", *hatch]
    poetry = _poetry_paths(root, root, data, set(), load)
    if poetry:
        return "poetry", [".", *poetry]
    return None, []


def _hatch(root: Path, tool: Mapping[str, Any], load: Loader) -> list[str]:
    """Every environment's workspace members (hatch.toml's `[envs]` beside pyproject's)."""
    sources = [(root / "pyproject.toml", "tool.hatch.envs", _table(tool.get("hatch")))]
    if (root / "hatch.toml").is_file():
        sources.append((root / "hatch.toml", "envs", load(root / "hatch.toml", tomllib.loads)))
    out: list[str] = []
    for path, prefix, table in sources:
        for env, spec in _table(table.get("envs")).items():
            ws = _table(_table(spec).get("workspace"))
            key = f"{prefix}.{env}.workspace"
            for i, member in enumerate(_list(ws.get("members", []), path, f"{key}.members")):
                folder = member.get("path") if isinstance(member, dict) else member
                if not isinstance(folder, str) or not folder:
                    raise UsageError(
                        f"{path}: {key}.members[{i}] must be a folder glob or "
                        "{path = ..., features = [...]}"
                    )
                out.append(_inside(root, root / folder, path, f"{key}.members[{i}]"))
            out += [f"!{e}" for e in _strings(ws.get("exclude", []), path, f"{key}.exclude")]
    return list(dict.fromkeys(out))


def _poetry_paths(
    root: Path, base: Path, data: Mapping[str, Any], seen: set[str], load: Loader
) -> list[str]:
    """The folders of a poetry project's path dependencies, and theirs, relative to `root`."""
    poetry = _table(_table(data.get("tool")).get("poetry"))
    found = []
    for _key, deps in _poetry_tables(poetry):
        for spec in deps.values():
            if not isinstance(spec, dict) or not isinstance(spec.get("path"), str):
                continue
            folder = _relative(root, base / spec["path"])
            if folder is None:
                continue  # a project outside the repository: a local dependency, no member
            if folder in seen or not (root / folder / "pyproject.toml").is_file():
                continue  # a wheel or sdist file, or a folder already followed
            seen.add(folder)
            found.append(folder)
            member = load(root / folder / "pyproject.toml", tomllib.loads)
            found += _poetry_paths(root, root / folder, member, seen, load)
    return found


def _poetry_tables(poetry: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    yield "dependencies", _table(poetry.get("dependencies"))
    yield "dev-dependencies", _table(poetry.get("dev-dependencies"))
    for group, spec in _table(poetry.get("group")).items():
        yield f"group.{group}.dependencies", _table(_table(spec).get("dependencies"))


def _relative(root: Path, folder: Path) -> str | None:
    """`folder` (absolute, or joined to the root already) relative to root; None outside it."""
    rel = os.path.relpath(os.path.normpath(folder), os.path.normpath(root))
    return None if rel == ".." or rel.startswith("../") else Path(rel).as_posix()


def _inside(root: Path, folder: Path, path: Path, key: str) -> str:
    """`folder` (absolute, or joined to the root already; it may be a glob) relative to root."""
    rel = _relative(root, folder)
    if rel is None:
        raise UsageError(
            f"{path}: {key}: {folder} lies outside the workspace root {root}",
            hint="list only folders inside the repository, or set `[workspace] packages`",
        )
    return rel


def package(data: Mapping[str, Any]) -> tuple[str, str | None, list[str]] | None:
    """(normalised name, version, normalised dependency names) of a pyproject, or None when
    it names no package (a virtual workspace root, a `package-mode = false` poetry root)."""
    project = _table(data.get("project"))
    poetry = _table(_table(data.get("tool")).get("poetry"))
    name = project.get("name") or poetry.get("name")
    if not isinstance(name, str) or not name or poetry.get("package-mode") is False:
        return None
    version = project.get("version", poetry.get("version"))
    reqs = [*_list(project.get("dependencies")), *_nested(project.get("optional-dependencies"))]
    reqs += _nested(data.get("dependency-groups"))
    deps = [m.group(1) for r in reqs if isinstance(r, str) and (m := _REQ_NAME.match(r))]
    deps += [d for _, table in _poetry_tables(poetry) for d in table if d != "python"]
    return normal(name), version if isinstance(version, str) else None, [normal(d) for d in deps]


def normal(name: str) -> str:
    """PEP 503 normalisation, so `My_Pkg` and `my-pkg` are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _table(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object, path: Path | None = None, key: str = "") -> list[Any]:
    if isinstance(value, list):
        return value
    if path is not None and value is not None:
        raise UsageError(f"{path}: {key} must be a list")
    return []


def _nested(value: object) -> list[object]:
    return [r for reqs in _table(value).values() for r in _list(reqs)]


def _strings(value: object, path: Path, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{path}: {key} must be a list of folder globs")
    return list(value)
