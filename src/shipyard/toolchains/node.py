"""Node/TypeScript projects: package.json scripts run with the package manager its lockfile
names (npm, pnpm, yarn, bun), tsconfig, eslint, prettier, tsup / tsc / vite builds; the test
runner is in node_tests.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shipyard.store import STATE_DIR
from shipyard.toolchains import node_tests, tsconfig, yarn
from shipyard.toolchains.interface import BUDGETS, Proposal, StageTable

TS_INPUTS = [
    "src/**",
    "lib/**",
    "tests/**",
    "test/**",
    "package.json",
    "*.config.*",
    "tsconfig*.json",
    "package-lock.json",
    "pnpm-lock.yaml",
    "yarn.lock",
    "bun.lock",
    "bun.lockb",
]
LOCKFILES = (
    ("pnpm-lock.yaml", "pnpm"),
    ("yarn.lock", "yarn"),
    ("bun.lock", "bun"),
    ("bun.lockb", "bun"),
    ("package-lock.json", "npm"),
)
FORMAT_SCRIPTS = ("format:check", "prettier:check", "check:format")
LOCKFILE_NAMES = {name for name, _ in LOCKFILES}
INSTALL = {
    "npm": "npm ci",
    "pnpm": "pnpm install --frozen-lockfile",
    "yarn": "yarn install --frozen-lockfile",
    "bun": "bun install --frozen-lockfile",
}


class Node:
    name = "node"

    def detect(self, root: Path) -> bool:
        return (root / "package.json").is_file()

    def propose(self, root: Path) -> Proposal:
        pm, source = package_manager(root)
        return self.proposal(root, pm, source)

    def proposal(
        self, root: Path, pm: str, source: str, hoisted: dict[str, str] | None = None
    ) -> Proposal:
        """The stages of the package at `root`, run with `pm` (a workspace package gets the
        root's package manager, whose lockfile lives there, and the root's `hoisted` tools)."""
        pkg = package_json(root)
        scripts: dict[str, str] = pkg.get("scripts", {}) or {}
        deps = {**(hoisted or {}), **dependencies(pkg)}
        out = Proposal(scheme="semver", package=pkg.get("name"))
        is_berry = pm == "yarn" and yarn.berry(root, pkg)
        install = "yarn install --immutable" if is_berry else INSTALL[pm]
        if source not in LOCKFILE_NAMES:
            install = pm + " install"
        out.guess(f"package manager: {pm} (install: `{install}`)", source)
        workspaces, ws_source = _workspaces(root, pkg)
        if workspaces:
            out.guess(f"monorepo: workspaces {', '.join(workspaces)}", ws_source)
        lint = self._lint(root, scripts, deps, pm, out)
        if lint:
            out.stages["lint"] = lint
        self._typecheck(root, scripts, pm, out)
        build = self._build(root, pkg, scripts, deps, pm, out)
        if build:
            out.stages["build"] = build
        out.stages.update(node_tests.stages(root, scripts, deps, pm, "build" in out.stages, out))
        if is_berry and yarn.pnp(root):
            yarn.under_pnp(out.stages, out)
        if not pkg.get("private"):
            out.publish = "npm"
        return out

    def _lint(
        self, root: Path, scripts: dict[str, str], deps: dict[str, str], pm: str, out: Proposal
    ) -> StageTable | None:
        run: list[str] = []
        table: StageTable = {
            "inputs": [*TS_INPUTS, "eslint.config.*", ".eslintrc*", ".prettierrc*"]
        }
        fmt = next((s for s in FORMAT_SCRIPTS if s in scripts), None)
        if fmt:
            out.guess(f"formatting: `{fmt}` script", "package.json")
            run.append(f"{pm} run {fmt}")
        elif "prettier" in deps:
            out.guess(
                "formatting: prettier --check (never --write)", "package.json devDependencies"
            )
            run.append("prettier --check .")
        lint = scripts.get("lint", "")
        if lint and "--fix" not in lint and "eslint" not in lint:
            out.guess("lint: the `lint` script", "package.json")
            run.append(f"{pm} run lint")
        elif "eslint" in deps:
            why = (
                " (the `lint` script has --fix: eslint runs without it)" if "--fix" in lint else ""
            )
            out.guess(
                f"lint: eslint, findings in eslint.json for the lint gate{why}", "package.json"
            )
            args = _eslint_args(lint, tsconfig.out_dir(root, scripts.get("build", "")) or "dist")
            run += [f"eslint -f json -o eslint.json {args} || true", f"eslint {args}"]
            table["outputs"] = ["eslint.json"]
            table["reports"] = {"lint": "eslint.json"}
            out.ignore.append("eslint.json")
        if not run:
            return None
        return {"run": run, **table, "budget": BUDGETS["lint"]}

    def _typecheck(self, root: Path, scripts: dict[str, str], pm: str, out: Proposal) -> None:
        script = next(
            (s for s in ("typecheck", "type-check", "check-types", "tsc") if s in scripts), None
        )
        if script:
            out.guess(f"type check: the `{script}` script", "package.json")
            command = f"{pm} run {script}"
        elif (root / "tsconfig.json").is_file():
            out.guess("type check: tsc --noEmit", "tsconfig.json")
            command = "tsc --noEmit"
        else:
            return
        out.stages["typecheck"] = {
            "run": command,
            "inputs": TS_INPUTS,
            "budget": BUDGETS["typecheck"],
        }

    def _build(
        self,
        root: Path,
        pkg: dict[str, Any],
        scripts: dict[str, str],
        deps: dict[str, str],
        pm: str,
        out: Proposal,
    ) -> StageTable | None:
        if "build" in scripts:
            command, why = f"{pm} run build", f"the `build` script ({scripts['build']})"
        elif "tsup" in deps:
            command, why = "tsup", "the tsup dependency"
        elif "typescript" in deps and tsconfig.emits(root):
            config = tsconfig.build_config(root)
            command = "tsc" if config == "tsconfig.json" else f"tsc -p {config}"
            why = f"tsc alone, no bundler ({config} emits JavaScript)"
        else:
            return None
        dist = tsconfig.out_dir(root, scripts.get("build", command)) or "dist"
        entry = _checks(pkg, dist)
        if _workspaces(root, pkg)[0] and (pkg.get("private") or not entry):
            # a monorepo root builds its packages' folders, not a dist/ of its own (unless it
            # is itself the published package, beside examples or docs workspaces: tinybench)
            out.guess(
                f"build: {why}; no post-build check or bundle report at a monorepo root",
                "package.json",
            )
            return {
                "run": command,
                "inputs": TS_INPUTS,
                "budget": BUDGETS["build"],
                "release": True,
            }
        checks = f"shipyard validate node {dist}" + entry
        out.guess(f"build: {why}, then `{checks}`", "package.json")
        out.ignore.append(f"{dist}/")
        return {
            "run": [command, checks],
            "inputs": TS_INPUTS,
            "outputs": [dist],
            "budget": BUDGETS["build"],
            "reports": {"bundle": dist},
            "release": True,
        }


# flags of a `lint` script a check drops: no rewrite, no cache file, our own report
_ESLINT_DROP = {"--fix", "--fix-dry-run", "--cache"}
_ESLINT_DROP_VALUE = {
    "--fix-type",
    "--cache-location",
    "--cache-strategy",
    "-f",
    "--format",
    "-o",
    "--output-file",
}


def _eslint_args(script: str, dist: str) -> str:
    """The arguments of the script's eslint command (its targets and flags, less --fix and
    --cache), or `.` with the state folder and the build output ignored (eslint 9 lints dot
    folders: `eslint .` linted .shipyard/ and dist/ on tinybench)."""
    words = script.split()
    if "eslint" in words and not {"&&", "||", ";", "|"} & set(words):
        words = words[words.index("eslint") + 1 :]
    else:
        words = []
    kept: list[str] = []
    skip = False
    for w in words:
        if skip:
            skip = False
        elif w in _ESLINT_DROP_VALUE:
            skip = True
        elif w not in _ESLINT_DROP and w.split("=")[0] not in _ESLINT_DROP_VALUE:
            kept.append(w)
    valued = {"--ext", "-c", "--config", "--max-warnings", "--rulesdir", "--ignore-path"}
    targets = [
        w for i, w in enumerate(kept) if w[0] != "-" and (i == 0 or kept[i - 1] not in valued)
    ]
    if not targets:
        kept.append(".")
    if not targets or {".", "./"} & set(targets):
        kept += ["--ignore-pattern", f"{STATE_DIR}/", "--ignore-pattern", f"{dist}/"]
    return " ".join(kept)


def _checks(pkg: dict[str, Any], dist: str) -> str:
    """The post-build checks package.json asks for: its entry, its types, its first bin."""
    checks = ""
    main = pkg.get("module") or pkg.get("main") or _export(pkg, ("import", "default", "require"))
    if isinstance(main, str) and main.startswith((f"{dist}/", f"./{dist}/")):
        checks += f" --import {main}"
    types = pkg.get("types") or pkg.get("typings") or _export(pkg, ("types",))
    if isinstance(types, str) and types.endswith(".d.ts"):
        checks += f" --types {types}"
    bins = pkg.get("bin")
    first = next(iter(bins.values()), None) if isinstance(bins, dict) else bins
    if isinstance(first, str):
        checks += f" --cli {first}"
    return checks


def _export(pkg: dict[str, Any], conditions: tuple[str, ...]) -> str | None:
    """The main entry's file for the first of `conditions` in package.json `exports`."""
    exports = pkg.get("exports")
    entry = exports.get(".", exports) if isinstance(exports, dict) else exports
    if isinstance(entry, str):
        return entry if "types" not in conditions else None
    if not isinstance(entry, dict):
        return None
    found = next((entry[c] for c in conditions if c in entry), None)
    if isinstance(found, dict):  # {"import": {"types": ..., "default": ...}}
        found = next((found[c] for c in (*conditions, "default") if c in found), None)
    return found if isinstance(found, str) else None


def _workspaces(root: Path, pkg: dict[str, Any]) -> tuple[list[str], str]:
    """The workspace globs, and the file that declares them."""
    pnpm = root / "pnpm-workspace.yaml"
    if pnpm.is_file():
        items, inside = [], False
        for ln in pnpm.read_text(errors="replace").splitlines():
            if ln and not ln[0].isspace() and not ln.startswith("#"):
                inside = ln.split("#")[0].strip() == "packages:"  # not catalog:, overrides:, …
            elif inside and ln.strip().startswith("- "):
                items.append(ln.strip()[2:].split(" #")[0].strip().strip("'\""))
        return items, "pnpm-workspace.yaml"
    ws = pkg.get("workspaces")
    found = ws.get("packages", []) if isinstance(ws, dict) else ws if isinstance(ws, list) else []
    return [w for w in found if isinstance(w, str)], "package.json workspaces"


def dependencies(pkg: dict[str, Any]) -> dict[str, str]:
    """The dependencies and devDependencies of a package.json (tools are found in either)."""
    found: dict[str, str] = {}
    for key in ("dependencies", "devDependencies"):
        value = pkg.get(key)
        if isinstance(value, dict):
            found.update(value)
    return found


def package_json(root: Path) -> dict[str, Any]:
    try:
        data = json.loads((root / "package.json").read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def package_manager(root: Path) -> tuple[str, str]:
    """The package manager and the file that says so."""
    for lockfile, pm in LOCKFILES:
        if (root / lockfile).is_file():
            return pm, lockfile
    declared = str(package_json(root).get("packageManager", "")).split("@")[0]
    if declared in INSTALL:
        return declared, "package.json packageManager"
    return "npm", "no lockfile (npm by default)"
