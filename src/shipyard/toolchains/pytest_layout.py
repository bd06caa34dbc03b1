"""Python test stages from the layout of the tests: `tests/` or `test/`, loose test files
beside `integration/` and `e2e/` folders, pytest's configuration, tox / nox, coverage."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from shipyard.toolchains.interface import BUDGETS, Proposal, StageTable

LAYERS = ("integration", "e2e")
BENCH_DIRS = ("benchmarks", "bench", "tests/benchmarks", "tests/bench")
INPUTS = [
    "**/*.py",
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "tox.ini",
    "tox.toml",
    "pytest.ini",
    "conftest.py",
    "tests/**",
    "test/**",
    "src/**",
]


SESSIONS = ("tox.ini", "tox.toml", "noxfile.py")  # tox 4.21+ reads tox.toml


def _is_test(path: Path) -> bool:
    return bool(re.match(r"(test_.*|.*_test)\.py$", path.name))


def _pytest_config(root: Path, meta: dict[str, Any]) -> str | None:
    if "pytest" in meta.get("tool", {}):
        return "pyproject.toml [tool.pytest.ini_options]"
    for name, marker in (
        ("pytest.ini", ""),
        ("setup.cfg", "[tool:pytest]"),
        ("tox.ini", "[pytest]"),
    ):
        path = root / name
        if path.is_file() and marker in path.read_text(errors="replace"):
            return name
    return "conftest.py" if (root / "conftest.py").is_file() else None


def _declared(root: Path, deps: set[str], name: str) -> bool:
    """Whether the project names `name` (dependencies, tox.ini / tox.toml or noxfile.py)."""
    if name in deps:
        return True
    for file in SESSIONS:
        path = root / file
        if path.is_file() and name in path.read_text(errors="replace"):
            return True
    return False


def _selection(
    root: Path, meta: dict[str, Any], deps: set[str], dep_source: str, out: Proposal
) -> str:
    """`-n auto` when the project runs pytest-xdist, `-m "not network"` when it declares a
    `network` marker (pypa/build: its suite took 14 min with the network tests)."""
    args = ""
    config = meta.get("tool", {}).get("pytest", {}).get("ini_options", {})
    addopts = config.get("addopts", "")
    addopts = " ".join(addopts) if isinstance(addopts, list) else str(addopts)
    if _declared(root, deps, "pytest-xdist") and " -n " not in f" {addopts} ":
        out.guess("parallel tests: pytest-xdist (-n auto)", dep_source)
        args += " -n auto"
    markers = config.get("markers", [])
    declared = any(str(m).split(":")[0].strip() == "network" for m in markers)
    source = "pyproject.toml [tool.pytest.ini_options] markers"
    for name in ("pytest.ini", "setup.cfg", "tox.ini"):
        path = root / name
        if not declared and path.is_file():
            text = path.read_text(errors="replace")
            declared = bool(re.search(r"^\s+network\s*(:|$)", text, re.MULTILINE))
            source = f"{name} markers"
    if declared:
        out.guess('network tests left out: -m "not network"', source)
        args += ' -m "not network"'
    return args


def _coverage(root: Path, meta: dict[str, Any], pkg: str | None) -> str:
    """The pytest-cov arguments that write coverage.xml (Cobertura, with branches)."""
    configured = "coverage" in meta.get("tool", {}) or (root / ".coveragerc").is_file()
    target = "" if configured else f"={pkg or '.'}"
    return f" --cov{target} --cov-branch --cov-report=xml:coverage.xml --cov-report=term"


def _runner(
    root: Path, meta: dict[str, Any], deps: set[str], dep_source: str, first: str, out: Proposal
) -> str:
    """pytest, unless the project has no pytest at all but tox or nox sessions."""
    config = _pytest_config(root, meta)
    if "pytest" in deps or config:
        out.guess("test runner: pytest", config or dep_source)
    elif any((root / name).is_file() for name in SESSIONS):
        source = next(name for name in SESSIONS if (root / name).is_file())
        runner = "nox" if source == "noxfile.py" else "tox"
        out.guess(f"test runner: {runner} (no pytest dependency or configuration)", source)
        return runner
    else:
        out.guess("test runner: pytest (it also runs unittest tests)", first)
    for name in SESSIONS:
        if (root / name).is_file():
            out.guess(
                f"{name}: the stages call pytest directly (its environments would "
                "install from the network)",
                name,
            )
    return "pytest"


def stages(
    root: Path, meta: dict[str, Any], deps: set[str], dep_source: str, out: Proposal
) -> dict[str, StageTable]:
    folder = next((d for d in ("tests", "test") if (root / d).is_dir()), None)
    loose = sorted(root.glob("test_*.py")) if folder is None else []
    if folder is None and not loose:
        out.guess(
            "tests: none found (no tests/ or test/ folder, no test_*.py): no test stage",
            f"{root.name}/",
        )
        return {}
    runner = _runner(root, meta, deps, dep_source, folder or loose[0].name, out)
    if runner != "pytest":
        return {
            "unit": {"run": runner, "inputs": INPUTS, "budget": BUDGETS["unit"], "release": True}
        }
    base = Path(folder or ".")
    layers = [layer for layer in LAYERS if folder and (root / base / layer).is_dir()]
    bench = [d for d in BENCH_DIRS if (root / d).is_dir()]
    ignored = [str(base / layer) for layer in layers]
    ignored += [d for d in bench if d.startswith(f"{base}/")]
    if layers:
        out.guess(f"test layers: {', '.join(layers)} besides the unit tests", f"{folder}/")
    result: dict[str, StageTable] = {}
    if _unit_files(root / base, ignored, root) if folder else loose:
        result["unit"] = _unit(root, meta, deps, dep_source, folder, ignored, out)
    else:
        out.guess(f"unit tests: none outside {', '.join(ignored)}", f"{folder}/")
    for layer in layers:
        command = f"python -m pytest {base / layer} --junitxml=junit-{layer}.xml"
        result[layer] = _stage(command, {"junit": f"junit-{layer}.xml"}, layer)
        if "unit" in result:
            result[layer]["needs"] = ["unit"]
    out.ignore += [f for t in result.values() for f in t["reports"].values()]
    out.ignore += [".pytest_cache/", ".coverage", ".coverage.*"]  # what pytest-cov leaves
    if bench and "pytest-benchmark" in deps:
        out.guess("benchmarks: pytest-benchmark", f"{bench[0]}/")
        out.bench["unit"] = {
            "command": f"python -m pytest {bench[0]} -q --benchmark-json=.bench-out/bench.json",
            "results": ".bench-out/bench.json",
            "format": "pytest-benchmark",
        }
        out.ignore.append(".bench-out/")
    return result


def _unit_files(folder: Path, ignored: list[str], root: Path) -> list[Path]:
    skip = [root / i for i in ignored]
    return [
        p
        for p in folder.rglob("*.py")
        if _is_test(p) and not any(p.is_relative_to(s) for s in skip)
    ]


def _unit(
    root: Path,
    meta: dict[str, Any],
    deps: set[str],
    dep_source: str,
    folder: str | None,
    ignored: list[str],
    out: Proposal,
) -> StageTable:
    from shipyard.toolchains.python import import_name

    where = f" {folder}" if folder else ""
    where += "".join(f" --ignore={i}" for i in ignored)
    command = f"python -m pytest{where}{_selection(root, meta, deps, dep_source, out)}"
    command += " --junitxml=junit-unit.xml"
    reports = {"junit": "junit-unit.xml"}
    if _declared(root, deps, "pytest-cov"):
        out.guess("coverage: pytest-cov, Cobertura XML in coverage.xml", dep_source)
    else:
        # the plan's coverage gates need a measurement: wire it, and say what to install
        out.guess(
            "coverage: pytest-cov is not a dependency: add it to the test dependencies "
            "(pip install pytest-cov); the unit stage measures coverage with it",
            dep_source,
        )
    command += _coverage(root, meta, import_name(root, meta))
    reports["coverage"] = "coverage.xml"
    return _stage(command, reports, "unit")


def _stage(command: str, reports: dict[str, str], layer: str) -> StageTable:
    return {
        "run": command,
        "inputs": INPUTS,
        "outputs": list(reports.values()),
        "reports": reports,
        "budget": BUDGETS[layer],
        "release": True,
    }
