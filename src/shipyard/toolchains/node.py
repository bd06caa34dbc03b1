"""Node/TypeScript projects: package.json scripts, the package manager from the lockfile,
tsconfig, eslint, prettier, vitest or jest, tsup."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shipyard.toolchains.interface import BUDGETS, StageTable

TS_INPUTS = [
    "src/**",
    "tests/**",
    "test/**",
    "package.json",
    "*.config.*",
    "tsconfig*.json",
    "package-lock.json",
    "pnpm-lock.yaml",
    "yarn.lock",
]
LOCKFILES = (("pnpm-lock.yaml", "pnpm"), ("yarn.lock", "yarn"), ("package-lock.json", "npm"))


class Node:
    name = "node"

    def detect(self, root: Path) -> bool:
        return (root / "package.json").is_file()

    def stages(self, root: Path) -> dict[str, StageTable]:
        pkg = _package(root)
        scripts: dict[str, str] = pkg.get("scripts", {})
        deps = {**pkg.get("dependencies", {}), **pkg.get("devDependencies", {})}
        pm = package_manager(root)

        def run(script: str) -> str:
            return f"{pm} run {script}"

        out: dict[str, StageTable] = {}

        lint = []
        if "format:check" in scripts:
            lint.append(run("format:check"))
        elif "prettier" in deps:
            lint.append("prettier --check .")
        if "lint" in scripts:
            lint.append(run("lint"))
        elif "eslint" in deps:
            lint += ["eslint -f json -o eslint.json . || true", "eslint ."]
        if lint:
            out["lint"] = {
                "run": lint,
                "inputs": [*TS_INPUTS, "eslint.config.*", ".prettierrc*"],
                "budget": BUDGETS["lint"],
            }
            if "eslint" in deps and "lint" not in scripts:
                out["lint"]["outputs"] = ["eslint.json"]
                out["lint"]["reports"] = {"lint": "eslint.json"}
        if "typecheck" in scripts:
            out["typecheck"] = {
                "run": run("typecheck"),
                "inputs": TS_INPUTS,
                "budget": BUDGETS["typecheck"],
            }
        elif (root / "tsconfig.json").is_file():
            out["typecheck"] = {
                "run": "tsc --noEmit",
                "inputs": TS_INPUTS,
                "budget": BUDGETS["typecheck"],
            }
        build = self._build(pkg, scripts, deps, run)
        if build:
            out["build"] = build
        out.update(self._tests(root, scripts, deps, run, "build" in out))
        return out

    def _build(
        self,
        pkg: dict[str, Any],
        scripts: dict[str, str],
        deps: dict[str, str],
        run: Callable[[str], str],
    ) -> StageTable | None:
        if "build" in scripts:
            command = run("build")
        elif "tsup" in deps:
            command = "tsup"
        else:
            return None
        checks = "python -m shipyard.toolchains.validate node dist"
        main = pkg.get("module") or pkg.get("main")
        if isinstance(main, str):
            checks += f" --import {main}"
        bins = pkg.get("bin")
        if isinstance(bins, str):
            checks += f" --cli {bins}"
        elif isinstance(bins, dict) and bins:
            checks += f" --cli {next(iter(bins.values()))}"
        return {
            "run": [command, checks],
            "inputs": TS_INPUTS,
            "outputs": ["dist"],
            "budget": BUDGETS["build"],
            "reports": {"bundle": "dist"},
        }

    def _tests(
        self,
        root: Path,
        scripts: dict[str, str],
        deps: dict[str, str],
        run: Callable[[str], str],
        built: bool,
    ) -> dict[str, StageTable]:
        out: dict[str, StageTable] = {}
        unit = next((s for s in ("test:unit", "test") if s in scripts), None)
        if unit:
            out["unit"] = {"run": run(unit)}
        elif "vitest" in deps:
            out["unit"] = {
                "run": "vitest run --coverage --coverage.reporter=lcov "
                "--coverage.reporter=json-summary --coverage.reporter=text "
                "--reporter=default --reporter=junit --outputFile.junit=junit.xml",
                "reports": {"junit": "junit.xml", "coverage": "coverage/lcov.info"},
                "outputs": ["junit.xml", "coverage"],
            }
        elif "jest" in deps:
            out["unit"] = {"run": "jest --coverage --ci"}
        for layer in ("integration", "e2e"):
            if f"test:{layer}" in scripts:
                out[layer] = {"run": run(f"test:{layer}"), "needs": ["build"] if built else []}
        for name, table in out.items():
            table.setdefault("inputs", TS_INPUTS)
            table["budget"] = BUDGETS[name]
        return out


def _package(root: Path) -> dict[str, Any]:
    try:
        data = json.loads((root / "package.json").read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def package_manager(root: Path) -> str:
    for lockfile, pm in LOCKFILES:
        if (root / lockfile).is_file():
            return pm
    return "npm"
