"""Bump the ranges by which workspace packages depend on each other, after a release.

When `@acme/core` becomes 2.0.0, a dependent's `"@acme/core": "^1.0.0"` becomes `"^2.0.0"`
(its operator kept), a Python dependent's `acme-core>=1.0.0` becomes `acme-core>=2.0.0`, and
a poetry dependency `acme-core = "^1.0.0"` becomes `"^2.0.0"`.
Only plain ranges change: `workspace:*` / `workspace:^` (pnpm writes the version at publish
time), `*`, unions (`^1 || ^2`), URLs and peer dependencies stay as they are. Pure text in,
text out; files.py-style formatting is kept (JSON indent, tomlkit for TOML).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from shipyard.workspace_python import normal

_NPM = re.compile(r"^(?P<proto>workspace:)?(?P<op>\^|~|>=|=|)(?P<v>\d+\.\d+\.\d+(?:-[\w.]+)?)$")
# dependencies, devDependencies, optionalDependencies; peers are a promise to users: not moved
NPM_KEYS = ("dependencies", "devDependencies", "optionalDependencies")
_PEP508 = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<extras>\s*\[[^\]]*\])?(?P<rest>.*)$", re.DOTALL
)
_LOWER = re.compile(r"(?P<op>>=|==|~=)(?P<space>\s*)(?P<v>[0-9][0-9A-Za-z.+!-]*)")


def npm_spec(spec: str, version: str) -> str:
    """`spec` aimed at `version` with its operator kept, or `spec` itself when not plain."""
    m = _NPM.match(spec.strip())
    if m is None:
        return spec
    return f"{m['proto'] or ''}{m['op']}{version}"


def package_json(text: str, versions: Mapping[str, str]) -> str:
    """A package.json with its ranges on the packages in `versions` (name -> semver) bumped.
    A byte-order mark (npm accepts one; vite has such a file) is kept."""

    def bump(name: str, spec: str, key: str) -> str | None:
        return npm_spec(spec, versions[name]) if name in versions else None

    return _walk_json(text, NPM_KEYS, bump)


def _walk_json(
    text: str, keys: tuple[str, ...], edit: Callable[[str, str, str], str | None]
) -> str:
    """The one walk over a package.json's dependency tables: `edit(name, spec, table)` gives
    the new spec (None: as it is); `text` itself when nothing changed, else re-dumped with its
    indent and byte-order mark kept."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    data = json.loads(text.removeprefix(bom))
    changed = False
    for key in keys:
        deps = data.get(key)
        if not isinstance(deps, dict):
            continue
        for name, spec in deps.items():
            if isinstance(spec, str) and (new := edit(name, spec, key)) is not None:
                changed = changed or new != spec
                deps[name] = new
    if not changed:
        return text
    indent = re.match(r"^\{\s*\n([ \t]+)", text.removeprefix(bom))
    return bom + json.dumps(data, indent=indent[1] if indent else 2, ensure_ascii=False) + "\n"


PUBLISHED_KEYS = (*NPM_KEYS, "peerDependencies")
_WORKSPACE = re.compile(r"^workspace:(?:(?P<alias>(?:@[^/@]+/)?[^@]+)@)?(?P<range>.*)$")


def published(text: str, versions: Mapping[str, str]) -> str:
    """The package.json npm should publish: each `workspace:` range replaced by the version it
    stands for, as `pnpm publish` does: `workspace:*` -> `1.5.0`, `workspace:^` -> `^1.5.0`,
    `workspace:~` -> `~1.5.0`, `workspace:^1.2.0` -> `^1.2.0`, and an alias
    `workspace:other@*` -> `npm:other@1.5.0`. Peer ranges too (pnpm does the same). `text`
    itself when it has none; a `workspace:` dependency on no workspace package is an error."""

    def resolve(name: str, spec: str, key: str) -> str | None:
        m = _WORKSPACE.match(spec.strip())
        return _resolved(name, m["alias"], m["range"], versions, key) if m else None

    return _walk_json(text, PUBLISHED_KEYS, resolve)


def _resolved(
    name: str, alias: str | None, spec: str, versions: Mapping[str, str], key: str
) -> str:
    target = alias or name
    version = versions.get(target)
    if version is None:
        raise ValueError(
            f'{key}."{name}": "workspace:{spec}" names {target!r}, which is no workspace package'
        )
    if spec.startswith((".", "/")):
        raise ValueError(
            f'{key}."{name}": "workspace:{spec}" (a path) is not resolved at publish; '
            'write "workspace:*" (or ^, ~, a range)'
        )
    if spec in ("*", ""):
        out = version
    elif spec in ("^", "~"):
        out = spec + version
    else:
        out = spec  # an explicit range (`workspace:^1.2.0`) is published as written
    return f"npm:{target}@{out}" if alias else out


def lockfile(text: str, folders: Mapping[str, str], versions: Mapping[str, str]) -> str:
    """package-lock.json: the workspace entries' versions (folder -> semver) and ranges."""
    data = json.loads(text)
    entries = data.get("packages")
    if not isinstance(entries, dict):
        return text
    for folder, entry in entries.items():
        if not isinstance(entry, dict):
            continue
        if folder in folders:
            entry["version"] = folders[folder]
        for key in NPM_KEYS:
            deps = entry.get(key)
            if isinstance(deps, dict):
                for name, spec in deps.items():
                    if name in versions and isinstance(spec, str):
                        deps[name] = npm_spec(spec, versions[name])
    indent = re.match(r"^\{\s*\n([ \t]+)", text)
    new = json.dumps(data, indent=indent[1] if indent else 2, ensure_ascii=False) + "\n"
    return new if json.loads(new) != json.loads(text) else text


def requirement(req: str, versions: Mapping[str, str]) -> str:
    """A PEP 508 requirement with its lower bound (>=, ==, ~=) moved to the new version."""
    m = _PEP508.match(req)
    if m is None:
        return req
    name = normal(m["name"])
    if name not in versions:
        return req
    rest = _LOWER.sub(lambda b: f"{b['op']}{b['space']}{versions[name]}", m["rest"], count=1)
    return f"{m['name']}{m['extras'] or ''}{rest}"


def pyproject(text: str, versions: Mapping[str, str]) -> str:
    """A pyproject.toml with [project] dependencies and optional ones, `[dependency-groups]`
    and poetry's dependency tables on `versions` bumped."""
    import tomlkit

    doc = tomlkit.parse(text)
    project = doc.get("project", {})
    lists = [project.get("dependencies"), *doc.get("dependency-groups", {}).values()]
    lists += list(project.get("optional-dependencies", {}).values())
    changed = False
    for reqs in lists:
        if reqs is None:
            continue
        for i, req in enumerate(list(reqs)):
            if isinstance(req, str) and (new := requirement(req, versions)) != req:
                reqs[i] = new
                changed = True
    changed = _poetry(doc.get("tool", {}).get("poetry"), versions) or changed
    return str(tomlkit.dumps(doc)) if changed else text


def _poetry(poetry: Any, versions: Mapping[str, str]) -> bool:
    """Poetry's dependency tables: `core = "^1.0.0"` or `{version = "^1.0.0"}` moved (a
    `{path = ...}` dependency has no range: poetry reads the folder)."""
    if poetry is None:
        return False
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    tables += [g.get("dependencies") for g in poetry.get("group", {}).values()]
    changed = False
    for deps in tables:
        for name, spec in (deps or {}).items():
            version = versions.get(normal(name))
            if version is None:
                continue
            if isinstance(spec, str) and (new := npm_spec(spec, version)) != spec:
                deps[name], changed = new, True
            elif hasattr(spec, "get") and isinstance(old := spec.get("version"), str):
                spec["version"] = npm_spec(old, version)
                changed = changed or spec["version"] != old
    return changed


_LOCK_NAME = re.compile(r'^name = "(?P<name>[^"]+)"$', re.MULTILINE)
_LOCK_LOCAL = re.compile(r"^source = \{ (?:editable|virtual|directory) = ", re.MULTILINE)
_LOCK_VERSION = re.compile(r'^version = "[^"]*"$', re.MULTILINE)
_LOCK_SPEC = re.compile(r'\{ name = "(?P<name>[^"]+)"(?P<mid>[^{}]*?)specifier = "(?P<spec>[^"]*)"')


def uv_lock(text: str, versions: Mapping[str, str]) -> str:
    """uv.lock as `uv lock` leaves it after the bump: the `version` of each workspace member
    released (its `[[package]]` has a local source: editable, virtual or directory) and the
    `specifier` of the `requires-dist` entries on them (`>=1.0.0` -> `>=1.1.0`). Line-based:
    uv writes one layout, and a lock of thousands of packages is read in no time."""

    def spec(m: re.Match[str]) -> str:
        version = versions.get(normal(m["name"]))
        if version is None:
            return m[0]
        moved = _LOWER.sub(lambda b: f"{b['op']}{b['space']}{version}", m["spec"], count=1)
        return f'{{ name = "{m["name"]}"{m["mid"]}specifier = "{moved}"'

    blocks = text.split("\n[[package]]\n")
    for i, block in enumerate(blocks[1:], 1):
        name = _LOCK_NAME.search(block)
        version = versions.get(normal(name["name"])) if name else None
        if version is not None and _LOCK_LOCAL.search(block):
            block = _LOCK_VERSION.sub(f'version = "{version}"', block, count=1)
        blocks[i] = _LOCK_SPEC.sub(spec, block)
    return "\n[[package]]\n".join(blocks)
