"""The packages of a monorepo: npm / pnpm / yarn / bun workspaces, uv / hatch / poetry
layouts (workspace_python.py), or a `[workspace] packages = [globs]` list in the definition.

`discover(root)` reads only manifests (package.json, pnpm-workspace.yaml, pyproject.toml) and
returns `Package` records with each package's name, folder, registry and its dependencies on the
other packages of the same workspace, in dependency order (a package after what it needs).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipyard import config
from shipyard.errors import UsageError
from shipyard.pipeline import globs, graph

SKIP_DIRS = frozenset({"node_modules", ".git", ".venv", "venv", "dist", "build", "__pycache__"})
NPM_DEP_KEYS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")


@dataclass(frozen=True)
class Package:
    name: str
    folder: str  # relative to the workspace root, '/'-separated; "." for the root itself
    registry: str  # "npm" or "pypi"
    version: str | None
    private: bool = False
    needs: tuple[str, ...] = ()  # names of the workspace packages it depends on

    def owns(self, path: str) -> bool:
        """True when the repository path lies inside this package's folder."""
        return self.folder == "." or path == self.folder or path.startswith(self.folder + "/")


@dataclass
class Workspace:
    root: Path
    kind: str  # npm, pnpm, yarn, bun, uv, hatch, poetry, or shipyard (from the definition)
    packages: list[Package] = field(default_factory=list)
    # how its packages are released (`[workspace]` keys; docs/release.md "Monorepos")
    mode: str = "independent"  # or "fixed": one version for every package, as lerna's
    tag_format: str = "{name}@{version}"  # {name}, {unscoped} (without @scope/), {version}
    tag_formats: Mapping[str, str] = field(default_factory=dict)  # package name -> its format
    dependents: str = "patch"  # a dependent of a released package gets a patch release, or "none"
    scope_rule: bool = False  # `fix(core): …` counts for core even when it touches no file of it
    scopes: Mapping[str, str] = field(default_factory=dict)  # commit scope -> package name

    def get(self, name: str) -> Package:
        found = [p for p in self.packages if p.name == name]
        if len(found) == 1:
            return found[0]
        if found:
            where = " and ".join(p.folder for p in found)
            raise UsageError(f"two workspace packages are named {name!r} ({where})")
        known = ", ".join(sorted({p.name for p in self.packages})) or "none"
        raise UsageError(f"no workspace package named {name!r} (packages: {known})")

    def owner(self, path: str) -> Package | None:
        """The innermost package whose folder holds `path`."""
        best: Package | None = None
        for pkg in self.packages:
            if pkg.owns(path) and (best is None or len(pkg.folder) > len(best.folder)):
                best = pkg
        return best

    def affected(self, paths: Sequence[str]) -> list[Package]:
        """Packages touched by `paths` and every package that depends on them, in order."""
        needs = {p.folder: self._folders_of(p.needs) for p in self.packages}
        touched = {owner.folder for path in paths if (owner := self.owner(path))}
        hit = set(touched)
        for folder in touched:
            hit |= graph.dependents(needs, folder)
        return [p for p in self.packages if p.folder in hit]

    def inside(self, pkg: Package) -> list[Package]:
        """The other packages whose folders lie inside `pkg`'s (its paths exclude theirs)."""
        return [p for p in self.packages if p is not pkg and pkg.owns(p.folder)]

    def tag_format_of(self, pkg: Package) -> str:
        """The tag format of one package: `name@{version}` unless configured otherwise."""
        fmt = self.tag_formats.get(pkg.name, self.tag_format)
        unscoped = pkg.name.rsplit("/", 1)[-1]
        return fmt.replace("{name}", pkg.name).replace("{unscoped}", unscoped)

    def scoped(self, scope: str | None) -> Package | None:
        """The package a commit scope names under the scope rule: a `[workspace.scopes]`
        entry, else the package's name, its name without `@scope/`, or its folder's name."""
        if not self.scope_rule or not scope:
            return None
        wanted = self.scopes.get(scope)
        for pkg in self.packages:
            if wanted is not None:
                if pkg.name == wanted:
                    return pkg
            elif scope in (pkg.name, pkg.name.rsplit("/", 1)[-1], pkg.folder.rsplit("/", 1)[-1]):
                return pkg
        return None

    def _folders_of(self, names: Sequence[str]) -> list[str]:
        return [p.folder for p in self.packages if p.name in names]


def from_definition(
    definition: config.Definition, skip: frozenset[str] = frozenset()
) -> Workspace | None:
    """The workspace of a loaded definition: its `[workspace] packages`, else the manifests
    (`skip`: as for `discover`)."""
    table = definition.section("workspace")
    patterns = table.str_list("packages")
    mode = table.str("mode", "independent")
    if mode not in ("independent", "fixed"):
        raise table.error("mode", f'expected "independent" or "fixed", got {mode!r}')
    fmt = table.str("tag-format", "{name}@{version}") or ""
    formats = table.str_map("tag-formats")
    for key, value in [("tag-format", fmt), *((f"tag-formats.{k}", v) for k, v in formats.items())]:
        if value.count("{version}") != 1:
            raise table.error(key, f"expected exactly one {{version}}, got {value!r}")
    dependents = table.str("bump-dependents", "patch")
    if dependents not in ("patch", "none"):
        raise table.error("bump-dependents", f'expected "patch" or "none", got {dependents!r}')
    scope_rule = table.bool("scope-rule", False)
    scopes = table.str_map("scopes")
    table.done()
    ws = discover(definition.root, patterns, skip)
    if ws is not None:
        ws.mode, ws.tag_format, ws.tag_formats, ws.dependents = mode, fmt, formats, dependents
        ws.scope_rule, ws.scopes = scope_rule or bool(scopes), scopes
        for scope, name in scopes.items():
            if not any(p.name == name for p in ws.packages):
                raise table.error(f"scopes.{scope}", f"no workspace package named {name!r}")
    return ws


def discover(
    root: Path, patterns: Sequence[str] | None = None, skip: frozenset[str] = frozenset()
) -> Workspace | None:
    """The workspace at `root`, or None for a single-package repository.

    `patterns` (the definition's `[workspace] packages`) wins over what the manifests declare.
    `skip`: folder names whose packages are left unread when the manifests declare them (the
    release commands skip test fixtures and playgrounds: vite has ~250 of them).
    """
    kind, found = ("shipyard", list(patterns)) if patterns else _declared(root)
    if kind is None:
        return None
    folders = [f for f in _folders(root, found) if patterns or not skip & set(f.split("/"))]
    packages = [_read_package(root, folder) for folder in folders]
    return Workspace(root, kind, _ordered([p for p in packages if p is not None]))


def _declared(root: Path) -> tuple[str | None, list[str]]:
    """(kind, package globs) from the root manifests, or (None, []) when there is none."""
    pnpm = root / "pnpm-workspace.yaml"
    if pnpm.is_file():
        data = _load(pnpm, _pnpm_yaml)
        return "pnpm", _str_list(data.get("packages", []), pnpm, "packages")
    manifest = root / "package.json"
    if manifest.is_file():
        data = _load(manifest, json.loads)
        spec = data.get("workspaces")
        if isinstance(spec, dict):  # yarn classic: {"packages": [...], "nohoist": [...]}
            spec = spec.get("packages", [])
        if spec:
            return _npm_kind(root), _str_list(spec, manifest, "workspaces")
    from shipyard import workspace_python

    return workspace_python.declared(root, _load)


_YAML_ITEM = re.compile(r"^(?P<indent>[ \t]*)-[ \t]+(?P<value>.*?)(?:[ \t]+#.*|[ \t]*)$")
_YAML_QUOTED = re.compile("'([^']*)'|\"([^\"\\\\]*)\"")
_YAML_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")


def _pnpm_yaml(text: str) -> dict[str, Any]:
    """pnpm-workspace.yaml's `packages` list. The usual form (a block list of plain or quoted
    globs) is read here: importing PyYAML costs more than the rest of `shipyard version`;
    any other form goes to PyYAML."""
    found = _pnpm_globs(text)
    if found:
        return {"packages": found}
    import yaml

    return yaml.safe_load(text) or {}


def _pnpm_globs(text: str) -> list[str] | None:
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"^packages:[ \t]*(#.*)?$", line)]
    if len(starts) != 1 or re.search(r"^(%|---|\.\.\.)", text, re.M):
        return None
    found: list[str] = []
    indent = None
    for line in lines[starts[0] + 1 :]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _YAML_ITEM.match(line)
        if m is None:
            # the next top-level key ends the list; anything else is for PyYAML
            return found if not line[0].isspace() else None
        if indent is not None and m["indent"] != indent:
            return None
        indent = m["indent"]
        value = _yaml_scalar(m["value"])
        if value is None:
            return None
        found.append(value)
    return found


def _yaml_scalar(text: str) -> str | None:
    """A quoted or plain one-line YAML string, or None for any other form."""
    quoted = _YAML_QUOTED.fullmatch(text)
    if quoted:
        return quoted[1] if quoted[1] is not None else quoted[2]
    if not text or text[0] in _YAML_PLAIN_START or ": " in text or text.endswith(":"):
        return None
    return text


def _npm_kind(root: Path) -> str:
    for lockfile, kind in (("bun.lockb", "bun"), ("bun.lock", "bun"), ("yarn.lock", "yarn")):
        if (root / lockfile).is_file():
            return kind
    return "npm"


def _load(path: Path, parse: Any) -> dict[str, Any]:
    try:
        data = parse(path.read_text(encoding="utf-8-sig"))  # npm accepts a BOM
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read the workspace manifest: {exc}") from exc
    except Exception as exc:  # PyYAML's YAMLError, without importing PyYAML to name it
        if type(exc).__module__.split(".")[0] != "yaml":
            raise
        raise UsageError(f"{path}: cannot read the workspace manifest: {exc}") from exc
    if not isinstance(data, dict):
        raise UsageError(f"{path}: expected a table / object at the top level")
    return data


def _str_list(value: object, path: Path, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{path}: {key} must be a list of folder globs")
    return list(value)


def _folders(root: Path, patterns: Sequence[str]) -> Iterator[str]:
    """Folders below `root` that hold a manifest and match the patterns ('!' excludes)."""
    clean = [p.removeprefix("./").rstrip("/") or "." for p in patterns]
    if "." in clean:
        yield "."
    for rel in _manifest_folders(root):
        if _matches(rel, clean):
            yield rel


def _manifest_folders(root: Path) -> list[str]:
    """Folders below `root` holding a package.json or pyproject.toml, sorted. In a git work
    tree git lists them (tracked or new, .gitignore respected): on vite's 870 folders that is
    one quick call instead of a walk; elsewhere the folders are walked."""
    from shipyard.git import Repo

    repo = Repo.find(root) if (root / ".git").exists() else None
    if repo is not None and repo.root.resolve() == root.resolve():
        out = repo.git(
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "--",
            "package.json",
            "**/package.json",
            "pyproject.toml",
            "**/pyproject.toml",
            check=False,
        )
        folders = {p.rpartition("/")[0] for p in out.split("\0") if "/" in p}
        return sorted(f for f in folders if not _skipped(f.split("/")) and (root / f).is_dir())
    found = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not _skipped([d]))
        rel = Path(current).relative_to(root).as_posix()
        if rel != "." and {"package.json", "pyproject.toml"} & set(files):
            found.append(rel)
    return sorted(found)


def _skipped(parts: Sequence[str]) -> bool:
    return any(d in SKIP_DIRS or d.startswith(".") for d in parts)


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    # a folder glob names the folder itself: "packages/*" must not match "packages/a/src"
    return globs.matches(rel, [p for p in patterns if p != "."]) and any(
        not p.startswith("!") and _exact(rel, p) for p in patterns
    )


def _exact(rel: str, pattern: str) -> bool:
    if any(c in pattern for c in "*?["):
        return globs.matches(rel, [pattern])
    return rel == pattern


def _read_package(root: Path, folder: str) -> _Raw | None:
    base = root / folder
    if (base / "package.json").is_file():
        data = _load(base / "package.json", json.loads)
        name = data.get("name")
        if not isinstance(name, str) or not name:
            return None  # an unnamed folder (a fixture, an example) is not a package
        deps = [d for key in NPM_DEP_KEYS for d in _keys(data.get(key))]
        version = data.get("version") if isinstance(data.get("version"), str) else None
        return _Raw(name, folder, "npm", version, bool(data.get("private")), deps)
    if (base / "pyproject.toml").is_file():
        from shipyard import workspace_python

        found = workspace_python.package(_load(base / "pyproject.toml", tomllib.loads))
        if found is None:
            return None
        name, version, deps = found
        return _Raw(name, folder, "pypi", version, False, deps)
    return None


def _keys(value: object) -> list[str]:
    return [k for k in value if isinstance(k, str)] if isinstance(value, Mapping) else []


@dataclass
class _Raw:
    name: str
    folder: str
    registry: str
    version: str | None
    private: bool
    deps: list[str]


def _ordered(raws: list[_Raw]) -> list[Package]:
    """Packages in dependency order. Names may repeat (test fixtures in pnpm repositories often
    do): the graph is keyed by folder, and a dependency on a repeated name needs all of them."""
    by_name: dict[str, list[str]] = {}
    for r in raws:
        by_name.setdefault(r.name, []).append(r.folder)
    raw = {r.folder: r for r in raws}
    needs = {
        r.folder: sorted({f for d in r.deps if d != r.name for f in by_name.get(d, ())})
        for r in raws
    }
    try:
        order = graph.topo_order(needs)
    except graph.CycleError as exc:
        cycle = " -> ".join(raw[f].name for f in exc.cycle)
        raise UsageError(f"workspace packages depend on each other in a cycle: {cycle}") from exc
    return [
        Package(
            raw[f].name,
            f,
            raw[f].registry,
            raw[f].version,
            raw[f].private,
            tuple(sorted({raw[d].name for d in needs[f]})),
        )
        for f in order
    ]
