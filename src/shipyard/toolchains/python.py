"""Python projects: pyproject.toml, with ruff, mypy, pytest, coverage and a build backend."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from shipyard.toolchains.interface import BUDGETS, StageTable

PY_INPUTS = ["**/*.py", "pyproject.toml", "setup.cfg", "setup.py"]


class Python:
    name = "python"

    def detect(self, root: Path) -> bool:
        return any((root / f).is_file() for f in ("pyproject.toml", "setup.py", "setup.cfg"))

    def stages(self, root: Path) -> dict[str, StageTable]:
        meta = _pyproject(root)
        deps = _all_dependencies(meta)
        tool = meta.get("tool", {})
        out: dict[str, StageTable] = {}
        if "ruff" in tool or "ruff" in deps or (root / "ruff.toml").is_file():
            out["lint"] = {
                "run": [
                    "ruff format --check .",
                    "ruff check --exit-zero --output-format=json --output-file=ruff.json .",
                    "ruff check .",
                ],
                "inputs": [*PY_INPUTS, "ruff.toml"],
                "outputs": ["ruff.json"],
                "reports": {"lint": "ruff.json"},
                "budget": BUDGETS["lint"],
            }
        if "mypy" in tool or "mypy" in deps or (root / "mypy.ini").is_file():
            target = "" if "mypy" in tool and tool["mypy"].get("files") else f" {_src(root)}"
            out["typecheck"] = {
                "run": f"mypy{target}",
                "inputs": [*PY_INPUTS, "mypy.ini"],
                "budget": BUDGETS["typecheck"],
            }
        build = self._build(root, meta)
        if build:
            out["build"] = build
        out.update(self._tests(root, meta, deps))
        return out

    def _build(self, root: Path, meta: dict[str, Any]) -> StageTable | None:
        if "build-system" not in meta:
            return None
        checks = "python -m shipyard.toolchains.validate python dist"
        pkg = _import_name(root, meta)
        if pkg:
            checks += f" --import {pkg}"
        for script in meta.get("project", {}).get("scripts", {}):
            checks += f" --cli {script}"
            break
        return {
            "run": ["rm -rf dist", "python -m build --outdir dist .", checks],
            "inputs": [*PY_INPUTS, "src/**", "README*", "LICENSE*"],
            "outputs": ["dist"],
            "budget": BUDGETS["build"],
            "reports": {"bundle": "dist"},
        }

    def _tests(self, root: Path, meta: dict[str, Any], deps: set[str]) -> dict[str, StageTable]:
        tests = root / "tests"
        if not tests.is_dir() and "pytest" not in deps:
            return {}
        cov = "pytest-cov" in deps or "coverage" in meta.get("tool", {})
        layers = [d for d in ("unit", "integration", "e2e") if (tests / d).is_dir()]
        out: dict[str, StageTable] = {}
        for layer in layers or ["unit"]:
            where = f" tests/{layer}" if layers else ""
            command = f"python -m pytest -q{where} --junitxml=junit-{layer}.xml"
            reports = {"junit": f"junit-{layer}.xml"}
            if cov and layer == "unit":
                command += " --cov --cov-report=xml:coverage.xml --cov-report=term"
                reports["coverage"] = "coverage.xml"
            out[layer] = {
                "run": command,
                "inputs": [*PY_INPUTS, "tests/**", "src/**"],
                "outputs": list(reports.values()),
                "reports": reports,
                "budget": BUDGETS[layer],
            }
            if layer != "unit" and "unit" in out:
                out[layer]["needs"] = ["unit"]
        return out


def _pyproject(root: Path) -> dict[str, Any]:
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def _all_dependencies(meta: dict[str, Any]) -> set[str]:
    project = meta.get("project", {})
    reqs = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        reqs += group
    for group in meta.get("dependency-groups", {}).values():
        reqs += [r for r in group if isinstance(r, str)]
    return {re.split(r"[\s<>=!~;\[]", r.strip(), maxsplit=1)[0].lower() for r in reqs if r}


def _src(root: Path) -> str:
    return "src" if (root / "src").is_dir() else "."


def _import_name(root: Path, meta: dict[str, Any]) -> str | None:
    for base in (root / "src", root):
        if not base.is_dir():
            continue
        for init in sorted(base.glob("*/__init__.py")):
            if init.parent.name not in ("tests", "test", "docs"):
                return init.parent.name
    name = meta.get("project", {}).get("name")
    return re.sub(r"[-.]", "_", name) if isinstance(name, str) else None
