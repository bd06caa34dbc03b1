"""Per-package stages: a stage declared once runs in every package of a workspace.

`[stages.test] per-package = true` (or a list of package name / folder globs) is a template:
`expand` replaces it with one stage per package, named `test@PACKAGE`, run in the package's
folder (its `inputs` and `outputs` relative to that folder). Its `needs` are mapped package by
package, with the semantics pnpm/turbo users know from `dependsOn`:

- `needs = ["build"]`, `build` per-package: the package's own `build@...` and the `build@...`
  of every workspace package it depends on, directly or not (turbo: `["build", "^build"]`);
- `needs = ["^build"]`: only the dependencies' instances (turbo: `["^build"]`), which is how
  a stage needs itself in the packages below (`[stages.build] needs = ["^build"]`);
- a stage that is not per-package needs every instance of a per-package stage it names, and a
  per-package stage that names a stage of the root needs that one stage.

Every stage that runs for a package (an instance, or a stage whose `cwd` lies in a package) is
told its package, the folders of the packages it depends on (their files under its `inputs`
globs enter its cache key) and the outputs of the package stages it needs (hashed when it
starts): a dependency's changed source or rebuilt output misses the dependents' cache, an
unrelated package's change does not. `expand` is pure; `of_definition` reads the manifests.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import replace

from shipyard import config
from shipyard.config import Definition, Stage
from shipyard.errors import ConfigError
from shipyard.pipeline import globs, graph
from shipyard.workspace import Package, Workspace

SEP = "@"  # `test@@acme/core`: stage names never hold '@', so the first one splits


def of_definition(definition: Definition) -> tuple[dict[str, Stage], Workspace | None]:
    """The definition's stages, expanded when it has per-package stages or stages in package
    folders, and its workspace (None when it has neither, or is no workspace)."""
    stages = dict(definition.stages)
    templates = [s.name for s in stages.values() if s.per_package]
    if not templates and all(s.cwd.strip("/") in ("", ".") for s in stages.values()):
        return stages, None
    from shipyard import workspace

    ws = workspace.from_definition(definition)
    if ws is None or not ws.packages:
        if templates:
            raise ConfigError(
                definition.file,
                definition.section("stages").key(templates[0]) + ".per-package",
                f"{definition.root} is not a workspace: there are no packages to run it in",
                hint="declare npm/pnpm/yarn/uv workspaces, or `[workspace] packages = [globs]`",
            )
        return stages, None
    return expand(stages, ws, definition), ws


def members(template: Stage, ws: Workspace) -> list[Package]:
    """The packages a per-package stage runs in, in dependency order."""
    pats = template.per_package
    return [p for p in ws.packages if any(_is(p.name, g) or _is(p.folder, g) for g in pats)]


def _is(value: str, pattern: str) -> bool:
    """`value` is what `pattern` names: equal, or matched as a path glob (`*` stays within a
    folder: "packages/*" is not "packages/vite/src/__tests__/child")."""
    if pattern == "*":
        return True
    if not any(c in pattern for c in "*?["):
        return value == pattern
    return globs.matches(value, [pattern])


def expand(
    stages: Mapping[str, Stage], ws: Workspace, definition: Definition | None = None
) -> dict[str, Stage]:
    """The stages with every template replaced by its instances, in its place (`definition`
    names the file and key path of a wrong path)."""
    below = _upstream(ws)
    labels = _labels(ws)
    inst: dict[str, dict[str, str]] = {
        s.name: {p.folder: f"{s.name}{SEP}{labels[p.folder]}" for p in members(s, ws)}
        for s in stages.values()
        if s.per_package
    }
    out: dict[str, Stage] = {}
    for stage in stages.values():
        if not stage.per_package:
            needs = [n for need in stage.needs for n in inst.get(need, {need: need}).values()]
            pkg = _owner(ws, stage.cwd)
            stage = replace(stage, needs=tuple(needs))
            out[stage.name] = _attach(stage, pkg, below) if pkg else stage
            continue
        for pkg in members(stage, ws):
            name = inst[stage.name][pkg.folder]
            up = below[pkg.folder]
            needs = []
            for need in stage.needs:
                mine = inst.get(need)
                if mine is None:
                    needs.append(need)
                else:
                    needs += [mine[f] for f in (pkg.folder, *up) if f in mine]
            for need in stage.needs_upstream:
                needs += [inst[need][f] for f in up if f in inst[need]]
            one = replace(
                _paths(stage, pkg, definition),
                name=name,
                cwd=pkg.folder,
                needs=tuple(dict.fromkeys(needs)),
                needs_upstream=(),
                per_package=(),
            )
            out[name] = _attach(one, pkg, below)
    return _with_needed_outputs(out)


def selected(
    names: Sequence[str], stages: Mapping[str, Stage], expanded: Mapping[str, Stage]
) -> list[str]:
    """Stage names as the user gave them, a template's name standing for all its instances."""
    out: list[str] = []
    for name in names:
        template = stages.get(name)
        if template is not None and template.per_package:
            out += [n for n in expanded if n.startswith(name + SEP)]
        else:
            out.append(name)
    return out


def _upstream(ws: Workspace) -> dict[str, tuple[str, ...]]:
    """Per package folder, the folders of every package it depends on, directly or not."""
    by_name: dict[str, list[str]] = {}
    for p in ws.packages:
        by_name.setdefault(p.name, []).append(p.folder)
    direct = {p.folder: [f for n in p.needs for f in by_name.get(n, ())] for p in ws.packages}
    order = [p.folder for p in ws.packages]
    out = {}
    for p in ws.packages:
        found = graph.closure(direct, direct[p.folder]) - {p.folder}
        out[p.folder] = tuple(f for f in order if f in found)
    return out


def _labels(ws: Workspace) -> dict[str, str]:
    """What follows the '@' of an instance: the package's name, or its folder when two
    packages share that name (pnpm test fixtures often do)."""
    names = [p.name for p in ws.packages]
    return {p.folder: p.name if names.count(p.name) == 1 else p.folder for p in ws.packages}


def _owner(ws: Workspace, cwd: str) -> Package | None:
    folder = posixpath.normpath(cwd.strip("/") or ".")
    return None if folder == "." else ws.owner(folder)


def _attach(stage: Stage, pkg: Package, below: Mapping[str, tuple[str, ...]]) -> Stage:
    env = {**stage.env, "SHIPYARD_PACKAGE": pkg.name}  # which package, for its commands
    return replace(stage, package=pkg.name, upstream=below[pkg.folder], env=env)


def _paths(stage: Stage, pkg: Package, definition: Definition | None) -> Stage:
    """The instance's `inputs` and `outputs` relative to its package's folder, a leading '/'
    (the project root, for shared root files such as the lockfile) rewritten so; each checked
    against the real folder with the cwd stages' rule (inside the project, outputs neither the
    project nor holding .git/ or .shipyard/)."""
    file = definition.file if definition else "shipyard.toml"
    key = definition.section("stages").key(stage.name) if definition else f"stages.{stage.name}"
    rewritten: dict[str, tuple[str, ...]] = {}
    for name, paths in (("inputs", stage.inputs), ("outputs", stage.outputs)):
        out = []
        for rel in paths:
            neg = "!" if rel.startswith("!") else ""
            body = rel.removeprefix("!")
            if body.startswith("/"):
                top = posixpath.normpath(body.lstrip("/") or ".")
                problem = config.path_problem(name, neg + top, ".", repr(rel))
                body = posixpath.relpath(top, pkg.folder) if not problem else body
            else:
                shown = f"{rel!r} (for package {pkg.name}, in {pkg.folder})"
                problem = config.path_problem(name, rel, pkg.folder, shown)
            if problem:
                raise ConfigError(
                    file,
                    f"{key}.{name}",
                    problem,
                    hint="paths are relative to each package's folder; a leading '/' starts "
                    'at the project root (`inputs = ["src/**", "/uv.lock"]`)',
                )
            out.append(neg + body)
        rewritten[name] = tuple(out)
    return replace(stage, inputs=rewritten["inputs"], outputs=rewritten["outputs"])


def _with_needed_outputs(stages: dict[str, Stage]) -> dict[str, Stage]:
    """Each package stage told the outputs (project-relative) of the package stages it needs,
    directly or not."""
    needs = {s.name: s.needs for s in stages.values()}
    out = {}
    for name, stage in stages.items():
        if not stage.package:
            out[name] = stage
            continue
        needed = graph.closure(needs, stage.needs)
        paths = [
            posixpath.normpath(posixpath.join(dep.cwd, o))
            for n in stages
            if n in needed and (dep := stages[n]).package
            for o in dep.outputs
            if not o.startswith("!")
        ]
        out[name] = replace(stage, upstream_outputs=tuple(dict.fromkeys(paths)))
    return out
