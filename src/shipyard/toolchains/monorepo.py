"""Per-package stages for a Node workspace (npm, pnpm, yarn, bun; read by shipyard.workspace).

Each package gets its own build, type check and tests, found as for a single project and run
in the package's folder (`cwd`), after the builds of the workspace packages it depends on; its
reports (JUnit, lcov, bundle) are judged with the others'. The root's stages that only fan out
to the packages (`pnpm -r run build`, `npm run build --workspaces`, `turbo run test`, …) give
way to them; the root's own checks (a root `lint`, a root-wide `tsc --noEmit`) stay.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from shipyard.toolchains import node, node_tests, yarn
from shipyard.toolchains.compose import Plan
from shipyard.toolchains.interface import Guess, StageTable
from shipyard.workspace import Package, Workspace

# a root script that runs the same script in every package
FANS_OUT = re.compile(
    r"(\s-r\b|--recursive\b|--filter\b|--workspaces?\b|\s--ws\b|workspaces\s+foreach"
    r"|\bturbo\b|\blerna\b|\bnx\s+run-many\b|\bwsrun\b|\bultra\b)"
)
# the stages a root script can back, and the scripts that back them
ROOT_SCRIPTS = {
    "build": ("build",),
    "typecheck": ("typecheck", "type-check", "check-types", "tsc"),
    "unit": ("test:unit", "test"),
}
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def split(root: Path, plan: Plan, ws: Workspace) -> None:
    """Write per-package stages into `plan` (before its security stage)."""
    packages = [p for p in ws.packages if p.registry == "npm" and p.folder != "."]
    if not packages:
        return
    pm, _ = node.package_manager(root)
    slugs = _slugs(packages)
    prefix = "node-" if any(n.startswith("node-") for n in plan.stages) else ""
    _drop_fan_out(root, plan, prefix)
    lock = next((f for f, _ in node.LOCKFILES if (root / f).is_file()), None)
    hoisted = node.dependencies(node.package_json(root))
    pnp = pm == "yarn" and yarn.berry(root, node.package_json(root)) and yarn.pnp(root)
    added: dict[str, StageTable] = {}
    builds: dict[str, str] = {}  # package name -> its build stage
    for pkg in packages:  # dependency order: a package after the packages it needs
        proposal = node.Node().proposal(root / pkg.folder, pm, "the workspace root", hoisted)
        _keep_own(root / pkg.folder, proposal.stages)
        if pnp:  # the root's .yarnrc.yml decides for every package
            yarn.under_pnp(proposal.stages, proposal)
        slug = prefix + slugs[pkg.folder]
        after = [builds[n] for n in pkg.needs if n in builds]
        for name, table in proposal.stages.items():
            own = [f"{slug}-{n}" for n in table.get("needs", [])]
            table["needs"] = [*own, *after] if name != "lint" else own
            if not table["needs"]:
                del table["needs"]
            table["cwd"] = pkg.folder
            table["inputs"] = _inputs(table.get("inputs", []), pkg.folder, lock)
            added[f"{slug}-{name}"] = table
        if "build" in proposal.stages:
            builds[pkg.name] = f"{slug}-build"
        plan.guesses += [
            Guess(f"{pkg.name}: {g.what}", f"{pkg.folder}/{g.source}")
            for g in proposal.guesses
            if proposal.stages and not g.what.startswith("package manager:")
        ]
        plan.ignore += proposal.ignore
        plan.bench.update({f"{slugs[pkg.folder]}-{k}": v for k, v in proposal.bench.items()})
    names = ", ".join(added) or "none (no package has scripts or tools of its own)"
    plan.guesses.append(Guess(f"per-package stages: {names}", f"{ws.kind} workspace"))
    tail = {n: t for n, t in plan.stages.items() if n in ("security", "secrets")}
    head = {n: t for n, t in plan.stages.items() if n not in tail}
    plan.stages.clear()
    plan.stages.update({**head, **added, **tail})


def _keep_own(folder: Path, stages: dict[str, StageTable]) -> None:
    """Keep the stages the package itself asks for: its own scripts, its own test config or
    bundler. A package without them is built and tested by the root's stages (one root
    `tsdown` or `vitest` over every package, as changesets/changesets does); the tools hoisted
    to the root only complete what a package asks for."""
    pkg = node.package_json(folder)
    scripts = pkg.get("scripts") or {}
    own = node.dependencies(pkg)
    wanted = {
        "lint": any(s in scripts for s in ("lint", *node.FORMAT_SCRIPTS)),
        "typecheck": any(s in scripts for s in ROOT_SCRIPTS["typecheck"]),
        "build": "build" in scripts or "tsup" in own,
        "unit": any(
            s in scripts and node_tests.NO_TEST not in scripts[s] for s in ROOT_SCRIPTS["unit"]
        )
        or any((folder / c).is_file() for cs in node_tests.CONFIGS.values() for c in cs),
    }
    for name in [n for n in stages if not wanted.get(n, True)]:
        del stages[name]
    entry = any(k in pkg for k in ("main", "module", "exports", "bin", "types"))
    if "build" in stages and pkg.get("private") and not entry:
        # an app or a docs site of the workspace: nothing to import, and no dist/ to measure
        build = stages["build"]
        build["run"] = build["run"][0]
        for key in ("outputs", "reports"):
            build.pop(key, None)


def _drop_fan_out(root: Path, plan: Plan, prefix: str) -> None:
    """Remove the root stages whose script only runs every package's same script."""
    scripts = node.package_json(root).get("scripts") or {}
    for stage, backing in ROOT_SCRIPTS.items():
        script = next((s for s in backing if s in scripts), None)
        name = prefix + stage
        if name in plan.stages and script and FANS_OUT.search(" " + str(scripts[script])):
            del plan.stages[name]
            plan.guesses.append(
                Guess(
                    f"{name}: the root's `{script}` script runs it in every package; "
                    "per-package stages instead",
                    "package.json",
                )
            )


def _slugs(packages: list[Package]) -> dict[str, str]:
    """A short stage-name prefix per package folder: its last part, or the whole folder when
    two packages share that last part."""
    last = [p.folder.rsplit("/", 1)[-1] for p in packages]
    out = {}
    for pkg, short in zip(packages, last, strict=True):
        name = short if last.count(short) == 1 else pkg.folder
        out[pkg.folder] = _UNSAFE.sub("-", name).strip("-.") or "package"
    return out


def _inputs(inputs: list[str], folder: str, lock: str | None) -> list[str]:
    """The package's own files (the stage runs in its folder), the root's tsconfig files and
    its lockfile: a dependency bump there must miss the package's cache."""
    own = [i for i in inputs if i not in {f for f, _ in node.LOCKFILES}]
    up = posixpath.relpath(".", folder)
    own.append(f"{up}/tsconfig*.json")  # a package's config often extends the root's
    if lock:
        own.append(f"{up}/{lock}")
    return own
