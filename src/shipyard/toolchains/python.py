"""Python projects: pyproject.toml / setup.cfg / setup.py, with ruff or flake8 and black, mypy
or pyright, pytest (or tox / nox), coverage and a build backend."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from shipyard.toolchains import pytest_layout
from shipyard.toolchains.interface import BUDGETS, Proposal, StageTable

PY_INPUTS = ["**/*.py", "pyproject.toml", "setup.cfg", "setup.py", "tox.ini", "tox.toml"]
PRE_COMMIT = ".pre-commit-config.yaml"
REQUIREMENTS = (
    "requirements-dev.txt",
    "requirements_dev.txt",
    "requirements-test.txt",
    "dev-requirements.txt",
    "test-requirements.txt",
    "requirements.txt",
)


class Python:
    name = "python"

    def detect(self, root: Path) -> bool:
        return any((root / f).is_file() for f in ("pyproject.toml", "setup.py", "setup.cfg"))

    def propose(self, root: Path) -> Proposal:
        meta = _pyproject(root)
        deps, dep_source = dependencies(root, meta)
        tool = meta.get("tool", {})
        out = Proposal(scheme="pep440")
        lint = self._lint(root, tool, deps, out)
        if lint:
            out.stages["lint"] = lint
        typecheck = self._typecheck(root, tool, deps, out)
        if typecheck:
            out.stages["typecheck"] = typecheck
        build = self._build(root, meta, out)
        if build:
            out.stages["build"] = build
        out.stages.update(pytest_layout.stages(root, meta, deps, dep_source, out))
        name = meta.get("project", {}).get("name")
        out.package = name if isinstance(name, str) else None
        return out

    def _lint(
        self, root: Path, tool: dict[str, Any], deps: set[str], out: Proposal
    ) -> StageTable | None:
        run: list[str] = []
        table: StageTable = {"inputs": [*PY_INPUTS, "ruff.toml", ".ruff.toml", ".flake8"]}
        ruff = _first(root, ("ruff.toml", ".ruff.toml")) or (
            "pyproject.toml" if "ruff" in tool else None
        )
        if ruff is None and "ruff" in deps:
            ruff = "the ruff dependency"
        black = (
            "pyproject.toml"
            if "black" in tool
            else ("the black dependency" if "black" in deps else None)
        )
        if black:
            out.guess("formatter: black (`black --check`)", black)
            run.append("black --check --diff .")
        elif ruff:
            out.guess("formatter: ruff format (`ruff format --check`)", ruff)
            run.append("ruff format --check .")
        if ruff:
            # --no-fix: a check never rewrites the tree, even where the config says `fix = true`
            out.guess("linter: ruff, its findings in ruff.json for the lint gate", ruff)
            pinned = _hook_pin(root, "astral-sh/ruff-pre-commit")
            if pinned:  # a newer ruff brings rules the project's hook does not run yet
                out.guess(
                    f"ruff: the pre-commit hook pins {pinned}: the lint stage runs the ruff on "
                    f"PATH, so install that one (pip install ruff=={pinned.lstrip('v')})",
                    PRE_COMMIT,
                )
                table["inputs"] = [*table["inputs"], PRE_COMMIT]
            run += [
                "ruff check --no-fix --exit-zero --output-format=json --output-file=ruff.json .",
                "ruff check --no-fix .",
            ]
            table["outputs"] = ["ruff.json"]
            table["reports"] = {"lint": "ruff.json"}
            out.ignore += ["ruff.json", ".ruff_cache/"]
        else:
            flake8 = _flake8(root, deps)
            if flake8:
                out.guess("linter: flake8 (no report: the lint gate is not measured)", flake8)
                run.append("flake8 .")
        if not run:
            out.guess("lint: none found (no ruff, flake8 or black configuration)", "pyproject.toml")
            return None
        return {"run": run, **table, "budget": BUDGETS["lint"]}

    def _typecheck(
        self, root: Path, tool: dict[str, Any], deps: set[str], out: Proposal
    ) -> StageTable | None:
        inputs = [*PY_INPUTS, "mypy.ini", ".mypy.ini", "pyrightconfig.json"]
        mypy = _first(root, ("mypy.ini", ".mypy.ini")) or (
            "pyproject.toml" if "mypy" in tool else None
        )
        if mypy is None and "mypy" in deps:
            mypy = "the mypy dependency"
        if mypy:
            files = "mypy" in tool and tool["mypy"].get("files")
            target = "" if files or mypy in ("mypy.ini", ".mypy.ini") else f" {_src(root)}"
            out.guess(f"type checker: mypy{target}", mypy)
            out.ignore.append(".mypy_cache/")
            return {"run": f"mypy{target}", "inputs": inputs, "budget": BUDGETS["typecheck"]}
        pyright = _first(root, ("pyrightconfig.json",)) or (
            "pyproject.toml" if "pyright" in tool else None
        )
        if pyright or "pyright" in deps:
            out.guess("type checker: pyright", pyright or "the pyright dependency")
            return {"run": "pyright", "inputs": inputs, "budget": BUDGETS["typecheck"]}
        return None

    def _build(self, root: Path, meta: dict[str, Any], out: Proposal) -> StageTable | None:
        if "build-system" not in meta and not (root / "setup.py").is_file():
            out.guess(
                "build: none (no [build-system]: an application, nothing to publish)",
                "pyproject.toml",
            )
            return None
        source = "pyproject.toml [build-system]" if "build-system" in meta else "setup.py"
        out.publish = "pypi"
        checks = "shipyard validate python dist"
        pkg = import_name(root, meta)
        if pkg:
            checks += f" --import {pkg}"
        for script in meta.get("project", {}).get("scripts", {}):
            checks += f" --cli {script}"
            break
        out.guess(f"build: python -m build, then `{checks}`", source)
        out.ignore.append("dist/")
        return {
            "run": ["rm -rf dist", "python -m build --outdir dist .", checks],
            "inputs": [*PY_INPUTS, "src/**", "README*", "LICENSE*"],
            "outputs": ["dist"],
            "budget": BUDGETS["build"],
            "reports": {"bundle": "dist"},
            "release": True,
        }


def _first(root: Path, names: tuple[str, ...]) -> str | None:
    return next((n for n in names if (root / n).is_file()), None)


def _hook_pin(root: Path, repo: str) -> str | None:
    """The version .pre-commit-config.yaml pins for the hook repository `repo`: its `rev`, or
    the tag in the `# frozen: v1.2.3` comment beside a commit hash."""
    path = root / PRE_COMMIT
    if not path.is_file():
        return None
    text = path.read_text(errors="replace")
    at = text.find(repo)
    found = re.search(r"\brev:\s*['\"]?([^\s'\"#]+)['\"]?\s*(?:#\s*frozen:\s*(\S+))?", text[at:])
    if at < 0 or not found:
        return None
    version = found.group(2) or found.group(1)
    return version if re.fullmatch(r"v?\d+(\.\d+)*", version) else None


def _flake8(root: Path, deps: set[str]) -> str | None:
    if (root / ".flake8").is_file():
        return ".flake8"
    for name in ("setup.cfg", "tox.ini"):
        path = root / name
        if path.is_file() and "[flake8]" in path.read_text(errors="replace"):
            return name
    return "the flake8 dependency" if "flake8" in deps else None


def _pyproject(root: Path) -> dict[str, Any]:
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def _names(reqs: list[str]) -> set[str]:
    return {re.split(r"[\s<>=!~;\[@]", r.strip(), maxsplit=1)[0].lower() for r in reqs if r.strip()}


def dependencies(root: Path, meta: dict[str, Any]) -> tuple[set[str], str]:
    """Every dependency the project names (runtime, extras, groups, requirement files)."""
    project = meta.get("project", {})
    reqs = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        reqs += group
    for group in meta.get("dependency-groups", {}).values():
        reqs += [r for r in group if isinstance(r, str)]
    source = "pyproject.toml"
    for name in REQUIREMENTS:
        path = root / name
        if path.is_file():
            lines = path.read_text(errors="replace").splitlines()
            reqs += [ln for ln in lines if ln.strip() and not ln.lstrip().startswith(("#", "-"))]
            source = f"{source}, {name}"
    return _names(reqs), source


def _src(root: Path) -> str:
    return "src" if (root / "src").is_dir() else "."


def import_name(root: Path, meta: dict[str, Any]) -> str | None:
    for base in (root / "src", root):
        if not base.is_dir():
            continue
        for init in sorted(base.glob("*/__init__.py")):
            if init.parent.name not in ("tests", "test", "docs", "benchmarks"):
                return init.parent.name
    name = meta.get("project", {}).get("name")
    return re.sub(r"[-.]", "_", name) if isinstance(name, str) else None
