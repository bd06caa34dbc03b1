"""npm dependency sets: package-lock.json (v1, v2, v3), pnpm-lock.yaml (v5 to v9), yarn.lock
(classic and Berry). Linked workspace packages are the project's own code and are left out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from shipyard.security.interface import ScanError
from shipyard.security.packages import DepSet, Package

NPM = "npm"
_PNPM_KEY = re.compile(r"^/?((?:@[^/@]+/)?[^/@(]+)[@/]([^/@(]+)")
_YARN_VERSION = re.compile(r'^\s+version:?\s+"?([^"\s]+)"?\s*$')


def package_lock(path: Path, rel: str) -> DepSet:
    data = _load_json(path, rel)
    out = DepSet()
    packages = data.get("packages")
    if isinstance(packages, dict):  # lockfileVersion 2 and 3
        for key, entry in packages.items():
            if not key or not isinstance(entry, dict) or entry.get("link"):
                continue
            name = entry.get("name") or key.rsplit("node_modules/", 1)[-1]
            _add(out, name, entry.get("version"), rel, entry.get("license"))
        return out
    if "dependencies" in data:
        _walk_v1(out, data["dependencies"], rel)  # lockfileVersion 1
    elif data.get("lockfileVersion") != 1:  # v1 without dependencies: a project with none
        raise ScanError(
            f"{rel}: an unknown package-lock layout (lockfileVersion "
            f"{data.get('lockfileVersion')!r}, no `packages` or `dependencies` object)",
            hint="regenerate it with `npm install --package-lock-only`",
        )
    return out


def _walk_v1(out: DepSet, deps: Any, rel: str) -> None:
    """lockfileVersion 1 nests dependencies in dependencies: walked with a stack, not recursion."""
    todo: list[tuple[Any, str]] = [(deps, "dependencies")]
    while todo:
        deps, where = todo.pop()
        if not isinstance(deps, dict):
            raise ScanError(f"{rel}: `{where[-200:]}` is not an object")
        for name, entry in deps.items():
            if isinstance(entry, dict):
                _add(out, name, entry.get("version"), rel, None)
                if "dependencies" in entry:
                    todo.append((entry["dependencies"], f"{where}.{name}.dependencies"))


def pnpm_lock(path: Path, rel: str) -> DepSet:
    import yaml

    try:
        data = yaml.safe_load(_read(path, rel))
    except yaml.YAMLError as exc:
        raise ScanError(f"{rel}: not valid YAML: {exc}") from None
    except RecursionError:
        raise ScanError(f"{rel}: YAML nested too deeply to be a lockfile") from None
    if not isinstance(data, dict):
        raise ScanError(f"{rel}: expected a mapping at the top level")
    out = DepSet()
    packages = data.get("packages") or {}
    if not isinstance(packages, dict):
        raise ScanError(f"{rel}: `packages` is not a mapping of package keys")
    for key in packages:
        m = _PNPM_KEY.match(str(key))
        if m is None:
            raise ScanError(f"{rel}: package key {key!r} names no package and version")
        _add(out, m.group(1), m.group(2), rel, None)
    return out


def yarn_lock(path: Path, rel: str) -> DepSet:
    out = DepSet()
    name: str | None = None
    for number, line in enumerate(_read(path, rel).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("__metadata:"):  # Berry's header block
            name = None
            continue
        if not line.startswith(" "):
            first = line.rstrip(":").split(",")[0].strip().strip('"')
            at = first.find("@", 1)
            if at < 1:
                raise ScanError(f"{rel}:{number}: expected `name@range:`, got {line!r}")
            name = first[:at]
            if "@workspace:" in first or "@link:" in first or first.endswith("@file:."):
                name = None  # the project itself or a workspace member
        elif name is not None and (m := _YARN_VERSION.match(line)):
            _add(out, name, m.group(1), rel, None)
            name = None
    return out


def _add(out: DepSet, name: Any, version: Any, rel: str, license: Any) -> None:
    if not isinstance(name, str) or not name:
        return
    if isinstance(version, str) and version and not version.startswith(("file:", "link:")):
        out.packages.append(
            Package(NPM, name, version, rel, license if isinstance(license, str) else None)
        )
    else:
        from shipyard.security.interface import Skipped

        out.unchecked.append(Skipped(f"{name} ({rel})", f"no registry version ({version!r})"))


def _load_json(path: Path, rel: str) -> dict[str, Any]:
    try:
        data = json.loads(_read(path, rel))
    except json.JSONDecodeError as exc:
        raise ScanError(f"{rel}: not valid JSON: {exc}") from None
    except RecursionError:
        raise ScanError(f"{rel}: JSON nested too deeply to be a lockfile") from None
    if not isinstance(data, dict):
        raise ScanError(f"{rel}: expected a JSON object at the top level")
    return data


def _read(path: Path, rel: str) -> str:
    from shipyard import textfile
    from shipyard.errors import InputError

    try:
        return textfile.read_text(path)
    except InputError as exc:
        raise ScanError(exc.message.replace(str(path), rel), exc.hint) from None
