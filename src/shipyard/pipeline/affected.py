"""`run --affected`: only the stages of the packages a change touched, and of their dependents.

A stage belongs to a workspace package when it is one of its per-package instances
(`test@pkg`, pipeline/packages.py) or its `cwd` lies in the package's folder. The rule:
- a package's stage runs when its package changed or depends (directly or not) on one that did;
- a stage of the root (no package) runs when a changed file, wherever it is, matches its
  `inputs` globs, or on any change when it declares no inputs (a root `eslint .` reads every
  package's files);
- a stage whose `when.changed` globs (project-relative) match no changed file does not run, nor
  one whose `when.branches` leave out the current branch (a detached HEAD, as a pull request's
  merge commit is checked out, is on no branch and not filtered: the `pull_request` trigger does
  not filter by `when.branches` either);
- whatever a stage that runs needs runs too (a dependency's build, mostly from the cache).
`ci affected` lists only the stages a push or pull request runs (`on_change`): no release stage,
none whose `when` excludes both.
`run --affected` and `ci affected` apply the same rule (`excluded`).
The change is what differs between the base (`--base REF`, else the merge base with the default
branch) and the working tree, untracked files included. `ci affected --json` prints the same
answer as a GitHub Actions matrix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from shipyard.config import Stage
from shipyard.errors import UsageError
from shipyard.git import Repo
from shipyard.pipeline.plan import Instance, misses
from shipyard.workspace import Package, Workspace


@dataclass(frozen=True)
class Affected:
    base: str  # the ref compared with, as given or found
    changed: list[str]  # changed paths, relative to the workspace root
    packages: list[Package]  # touched packages and their dependents, in dependency order
    branch: str | None = None  # the checked-out branch (None: detached HEAD)


def find(ws: Workspace, base: str | None) -> Affected:
    """What changed since `base` and which packages that affects."""
    repo = Repo.find(ws.root)
    if repo is None:
        raise UsageError("--affected needs a git repository", hint="run it inside a git work tree")
    ref = base or default_base(repo)
    top = repo.root.resolve()
    inside = []
    for path in repo.changed_since(ref):
        try:
            inside.append((top / path).relative_to(ws.root.resolve()).as_posix())
        except ValueError:
            continue  # outside the workspace
    return Affected(ref, inside, ws.affected(inside), repo.branch())


def default_base(repo: Repo) -> str:
    """The merge base of HEAD with the default branch (origin's first), as CI compares."""
    branch = repo.default_branch()
    for ref in (f"origin/{branch}", branch):
        if repo.git("rev-parse", "-q", "--verify", f"{ref}^{{commit}}", check=False).strip():
            return repo.merge_base(ref) or ref
    raise UsageError(
        f"--affected: neither origin/{branch} nor {branch} exists to compare with",
        hint="pass --base REF (the commit or branch the change starts from)",
    )


def owner(ws: Workspace, stage: Stage) -> Package | None:
    """The package a stage belongs to: the one it is an instance for, else the one holding its
    cwd (None at the root)."""
    if stage.package:
        folder = stage.cwd.strip("/") or "."
        return next((p for p in ws.packages if p.folder == folder), None)
    cwd = stage.cwd.strip("/") or "."
    return None if cwd == "." else ws.owner(cwd)


def root_changed(ws: Workspace, found: Affected) -> bool:
    """True when a changed path belongs to no package, or to a package at the root."""
    return any((o := ws.owner(p)) is None or o.folder == "." for p in found.changed)


def _touches(stage: Stage, changed: Sequence[str]) -> bool:
    """A root stage looks at a changed file: one under its `inputs` globs (project-relative
    once joined to its cwd), or any file when it declares none (`eslint .` reads them all)."""
    import posixpath

    from shipyard.pipeline import globs

    if not stage.inputs:
        return True
    cwd = stage.cwd.strip("/") or "."
    pats = []
    for rel in stage.inputs:
        neg = "!" if rel.startswith("!") else ""
        pats.append(neg + posixpath.normpath(posixpath.join(cwd, rel.removeprefix("!"))))
    return any(globs.matches(path, pats) for path in changed)


def excluded(stage: Stage, found: Affected) -> str:
    """Why the stage's `when.changed` / `when.branches` keep it from running for this change
    ('' when they do not)."""
    from shipyard.pipeline import globs

    if misses(stage, found.changed):
        return f"no file under its when.changed changed since {found.base}"
    if (
        stage.when.branches
        and found.branch
        and not globs.matches(found.branch, stage.when.branches)
    ):
        return f"when.branches does not include {found.branch}"
    return ""


def select(instances: Sequence[Instance], ws: Workspace, found: Affected) -> list[Instance]:
    """`instances` with the stages of unaffected packages skipped, saying why."""
    hit = {p.folder for p in found.packages}
    reasons: dict[str, str] = {}
    for inst in instances:
        pkg = owner(ws, inst.stage)
        if pkg is None and not found.changed:
            reasons[inst.name] = f"nothing changed since {found.base}"
        elif pkg is None and not _touches(inst.stage, found.changed):
            reasons[inst.name] = f"no file under its inputs changed since {found.base}"
        elif pkg is not None and pkg.folder not in hit:
            reasons[inst.name] = f"{pkg.name} is not affected by the changes since {found.base}"
        elif why := excluded(inst.stage, found):
            reasons[inst.name] = why
    # what a stage that runs needs runs too, from the cache when nothing changed (a fresh CI
    # checkout has no dependency's build otherwise); latest first, as needs come before
    for inst in reversed(instances):
        if not inst.skip and inst.name not in reasons:
            for need in inst.needs:
                reasons.pop(need, None)
    return [
        replace(inst, skip=reasons[inst.name]) if inst.name in reasons and not inst.skip else inst
        for inst in instances
    ]


def matrix(ws: Workspace, found: Affected, stages: Mapping[str, Stage]) -> dict[str, Any]:
    """`ci affected --json`: the affected packages as a GitHub Actions matrix (`include`)."""
    if any(s.per_package for s in stages.values()):
        from shipyard.pipeline import packages

        stages = packages.expand(stages, ws)
    rows = []
    for pkg in found.packages:
        names = [
            s.name
            for s in stages.values()
            if on_change(s)
            and (o := owner(ws, s))
            and o.folder == pkg.folder
            and not excluded(s, found)
        ]
        rows.append(
            {
                "package": pkg.name,
                "folder": pkg.folder,
                "registry": pkg.registry,
                "stages": names,
                "run": " ".join(names),
            }
        )
    return {
        "schema_version": 1,
        "base": found.base,
        "changed": len(found.changed),
        "packages": [r["package"] for r in rows],
        "matrix": {"include": rows},
        "root_changed": root_changed(ws, found),
    }


def on_change(stage: Stage) -> bool:
    """A stage a push or pull request runs: not a release stage (the release workflow's), and
    its `when` allows push or pr (`when = "schedule"` runs in the scheduled workflow)."""
    return not stage.release and bool({"push", "pr"} & set(stage.when.on))


def workspace_at(root: Path) -> Workspace:
    """The workspace of the definition at `root`, or a clear error when there is none."""
    from shipyard import config, workspace

    has_definition = config.find_definition(root) is not None
    ws = (
        workspace.from_definition(config.load(root)) if has_definition else workspace.discover(root)
    )
    if ws is None or not ws.packages:
        raise UsageError(
            f"--affected: {root} is not a workspace (no packages found)",
            hint="declare npm/pnpm/uv workspaces, or `[workspace] packages = [globs]`",
        )
    return ws
