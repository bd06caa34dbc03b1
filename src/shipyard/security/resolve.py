"""Dependencies a project declares but does not lock, resolved by the package managers.

A `pyproject.toml` with `[project] dependencies` (or a `Pipfile`) and no Python lock, or a
`package.json` with dependencies and no npm lock, still installs packages: the versions they
would install today are what must be checked. pip resolves them with
`pip install --dry-run --report` (wheels only, so no sdist's build code runs), npm with
`npm install --package-lock-only --ignore-scripts` in a temporary copy of the manifest (the
project is never touched). Both use the user's own index configuration (pip.conf,
PIP_INDEX_URL, .npmrc). When resolution is impossible, the declaration is returned as unchecked,
which fails the gate: a declared dependency nobody resolved is not a checked one.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from shipyard import proc
from shipyard.errors import ToolError
from shipyard.security.interface import ScanError, Skipped
from shipyard.security.packages import NPM_LOCKS, DepSet, Package

TIMEOUT = 300.0
PY_LOCKED_BY = ("poetry.lock", "uv.lock", "pylock.toml", "Pipfile.lock")
NPM_FIELDS = ("dependencies", "devDependencies", "optionalDependencies")


_RESOLVED: dict[tuple[Path, frozenset[str]], DepSet] = {}  # one resolution per scan run


def unlocked(root: Path, found: list[Path]) -> DepSet:
    """Resolve what `root` declares without a lock among the dependency files `found` (once per
    process: deps, licenses and the SBOM of one `shipyard scan` share the answer)."""
    names = frozenset(p.name for p in found)
    key = (root.resolve(), names)
    if key not in _RESOLVED:
        _RESOLVED[key] = _unlocked(root, names)
    return _RESOLVED[key]


def _unlocked(root: Path, names: frozenset[str]) -> DepSet:
    out = DepSet()
    python_locked = bool(names & frozenset(PY_LOCKED_BY)) or any(
        n.startswith(("requirements", "pylock.")) for n in names
    )
    if not python_locked:
        out.extend(_python(root))
    if not names & frozenset(NPM_LOCKS) and (root / "package.json").is_file():
        out.extend(_npm(root))
    return out


def _python(root: Path) -> DepSet:
    declared: list[str] = []
    source = ""
    for name, reader in (("pyproject.toml", _pyproject), ("Pipfile", _pipfile)):
        path = root / name
        if path.is_file():
            reqs, why = reader(path)
            if why:
                return DepSet(unchecked=[Skipped(f"{name} (declared)", why)])
            declared += reqs
            source = source or name
    if not declared:
        return _setup_files(root)
    try:
        return pip_resolve(root, declared, f"{source} (resolved by pip)")
    except ToolError as exc:
        reason = f"declared without a lockfile and pip could not resolve it: {exc.message}"
        return DepSet(unchecked=[Skipped(f"{source} (declared)", reason)])


def _setup_files(root: Path) -> DepSet:
    """setup.cfg's install_requires is resolved; a setup.py can only be read by running it."""
    cfg = root / "setup.cfg"
    if cfg.is_file():
        reqs = _install_requires(cfg)
        if reqs:
            try:
                return pip_resolve(root, reqs, "setup.cfg (resolved by pip)")
            except ToolError as exc:
                why = f"declared without a lockfile and pip could not resolve it: {exc.message}"
                return DepSet(unchecked=[Skipped("setup.cfg (declared)", why)])
    if (root / "setup.py").is_file():
        why = (
            "setup.py may declare dependencies, which only running it would tell: lock them "
            '(uv pip compile, pip-compile, pip lock), or allow-unchecked = ["setup.py"]'
        )
        return DepSet(unchecked=[Skipped("setup.py (declared)", why)])
    return DepSet()


def local_project(folder: Path, ref: str, where: str, pinned: set[str]) -> DepSet:
    """The dependencies a local project brings when a requirements file installs it (`-e .`):
    read from its pyproject.toml or setup.cfg, never by building it (that would run its
    code); those the requirements files do not pin already are resolved by pip. What cannot
    be read or resolved is unchecked, which fails the gate."""
    label = f"{ref} ({where})"
    if folder.is_file():
        archive = "a local archive: its dependencies are not read (lock them, or unpack it)"
        return DepSet(unchecked=[Skipped(label, archive)])
    if not folder.is_dir():
        return DepSet(unchecked=[Skipped(label, f"local project not found at {folder}")])
    reqs, why = _declared(folder)
    if why:
        return DepSet(unchecked=[Skipped(label, why)])
    missing = [r for r in reqs if _name(r) not in pinned]
    if not missing:
        return DepSet()  # every dependency is pinned in the requirements (pip-compile's output)
    try:
        return pip_resolve(folder, missing, f"{label} (resolved by pip)")
    except ToolError as exc:
        why = f"its dependencies are not pinned and pip could not resolve them: {exc.message}"
        return DepSet(unchecked=[Skipped(label, why)])


def _declared(folder: Path) -> tuple[list[str], str | None]:
    """A project folder's declared dependencies, or why they cannot be known without running it."""
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        data = _toml(pyproject)
        if isinstance(data.get("project"), dict):
            return _pyproject(pyproject)
        reqs, why = _pyproject(pyproject)
        if why:
            return reqs, why
    cfg = folder / "setup.cfg"
    if cfg.is_file():
        reqs = _install_requires(cfg)
        if reqs or not (folder / "setup.py").is_file():
            return reqs, None
    if (folder / "setup.py").is_file():
        return [], (
            "setup.py may declare dependencies, which only running it would tell: pin them in "
            "the requirements file (pip-compile, uv pip compile)"
        )
    if pyproject.is_file():
        return [], None  # a build configuration only: no dependencies declared
    return [], "not a Python project (no pyproject.toml, setup.cfg or setup.py there)"


def _name(requirement: str) -> str:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        name = Requirement(requirement).name
    except InvalidRequirement:
        return ""
    return name.lower().replace("_", "-").replace(".", "-")


def _install_requires(cfg: Path) -> list[str]:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(cfg, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ScanError(f"{cfg.name}: not readable: {exc}") from None
    text = parser.get("options", "install_requires", fallback="")
    return [r.strip() for r in text.splitlines() if r.strip() and not r.startswith("#")]


def _pyproject(path: Path) -> tuple[list[str], str | None]:
    data = _toml(path)
    project = data.get("project")
    poetry = (data.get("tool") or {}).get("poetry") or {}
    if not isinstance(project, dict):
        if set(poetry.get("dependencies") or {}) - {"python"} or poetry.get("group"):
            return [], "Poetry dependencies without poetry.lock: run `poetry lock` and commit it"
        return [], None
    if "dependencies" in (project.get("dynamic") or []):
        return [], "the dependencies are dynamic: lock them (uv lock, pip lock, requirements)"
    reqs = [r for r in project.get("dependencies") or [] if isinstance(r, str)]
    for extra in (project.get("optional-dependencies") or {}).values():
        reqs += [r for r in extra if isinstance(r, str)]
    return reqs, None


def _pipfile(path: Path) -> tuple[list[str], str | None]:
    data = _toml(path)
    reqs = []
    for section in ("packages", "dev-packages"):
        for name, spec in (data.get(section) or {}).items():
            if isinstance(spec, str):
                reqs.append(name if spec == "*" else f"{name}{spec}")
            elif isinstance(spec, dict) and isinstance(spec.get("version"), str):
                reqs.append(name if spec["version"] == "*" else f"{name}{spec['version']}")
            else:
                return [], f"{name}: not a registry requirement pip can resolve here"
    return reqs, None


def pip_resolve(root: Path, requirements: list[str], source: str) -> DepSet:
    """What pip would install for `requirements` today (nothing is installed)."""
    with tempfile.TemporaryDirectory(prefix="shipyard-resolve-") as tmp:
        report = Path(tmp) / "report.json"
        args = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet"]
        args += ["--ignore-installed", "--only-binary", ":all:", "--report", str(report)]
        done = _run([*args, "--", *requirements], root)
        if done.returncode != 0 or not report.is_file():
            raise ToolError(_last_line(done.stderr) or f"pip exited {done.returncode}")
        data = _json(report)
    out = DepSet()
    for item in data.get("install") or []:
        meta = item.get("metadata") or {} if isinstance(item, dict) else {}
        if isinstance(meta.get("name"), str) and isinstance(meta.get("version"), str):
            out.packages.append(Package("PyPI", meta["name"], meta["version"], source))
    return out


def _npm(root: Path) -> DepSet:
    manifest = _json(root / "package.json")
    if not any(manifest.get(f) for f in NPM_FIELDS):
        return DepSet()
    npm = shutil.which("npm")
    if npm is None:
        reason = "declared without a lockfile, and npm is not installed to resolve it"
        return DepSet(unchecked=[Skipped("package.json (declared)", reason)])
    from shipyard.security import npmlocks

    with tempfile.TemporaryDirectory(prefix="shipyard-resolve-") as tmp:
        for name in ("package.json", ".npmrc"):
            if (root / name).is_file():
                shutil.copy(root / name, Path(tmp) / name)
        args = [npm, "install", "--package-lock-only", "--ignore-scripts", "--no-audit"]
        try:
            done = _run([*args, "--no-fund", "--workspaces=false"], Path(tmp))
        except ToolError as exc:
            reason = f"declared without a lockfile and npm could not resolve it: {exc.message}"
            return DepSet(unchecked=[Skipped("package.json (declared)", reason)])
        lock = Path(tmp) / "package-lock.json"
        if done.returncode != 0 or not lock.is_file():
            why = _last_line(done.stderr) or f"npm exited {done.returncode}"
            reason = f"declared without a lockfile and npm could not resolve it: {why}"
            return DepSet(unchecked=[Skipped("package.json (declared)", reason)])
        return npmlocks.package_lock(lock, "package.json (resolved by npm)")


def _run(args: list[str], cwd: Path) -> proc.Completed:
    try:
        return proc.run(args, cwd=cwd, check=False, timeout=TIMEOUT)
    except proc.TimeoutExpired:
        raise ToolError(f"`{Path(args[0]).name}` took longer than {TIMEOUT:.0f}s") from None


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScanError(f"{path.name}: not readable TOML: {exc}") from None


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScanError(f"{path.name}: not readable JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ScanError(f"{path.name}: expected a JSON object at the top level")
    return data


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""
