"""The dependency set every lockfile reader produces, and finding the lockfiles of a project."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shipyard.security.interface import Skipped

PY_LOCKS = ("poetry.lock", "uv.lock", "pylock.toml", "Pipfile.lock")
NPM_LOCKS = ("package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock")


@dataclass(frozen=True)
class Package:
    ecosystem: str  # OSV ecosystem name: "PyPI" or "npm"
    name: str
    version: str
    source: str  # the lockfile (or site-packages folder) it came from
    license: str | None = None


@dataclass
class DepSet:
    packages: list[Package] = field(default_factory=list)
    unchecked: list[Skipped] = field(default_factory=list)

    def extend(self, other: DepSet) -> None:
        self.packages += other.packages
        self.unchecked += other.unchecked


def discover(root: Path) -> list[Path]:
    """The dependency files at the project's top level (and under requirements/)."""
    found = [root / name for name in (*PY_LOCKS, *NPM_LOCKS) if (root / name).is_file()]
    found += sorted(p for p in root.glob("pylock.*.toml") if p.is_file())
    found += sorted(p for p in root.glob("requirements*.txt") if p.is_file())
    found += sorted(p for p in root.glob("requirements/*.txt") if p.is_file())
    return found


def read(root: Path, path: Path) -> DepSet:
    """The dependency set of one file, by its name."""
    from shipyard.security import npmlocks, pylocks

    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    name = path.name
    if name.endswith(".txt"):
        return pylocks.requirements(path, rel)
    if name == "Pipfile.lock":
        return pylocks.pipfile_lock(path, rel)
    if name in PY_LOCKS or (name.startswith("pylock.") and name.endswith(".toml")):
        return pylocks.toml_lock(path, rel)
    if name in ("package-lock.json", "npm-shrinkwrap.json"):
        return npmlocks.package_lock(path, rel)
    if name == "pnpm-lock.yaml":
        return npmlocks.pnpm_lock(path, rel)
    if name == "yarn.lock":
        return npmlocks.yarn_lock(path, rel)
    from shipyard.security.interface import ScanError

    raise ScanError(
        f"{rel}: not a dependency file shipyard reads",
        hint="requirements*.txt, poetry.lock, uv.lock, pylock.toml, Pipfile.lock, "
        "package-lock.json, pnpm-lock.yaml or yarn.lock",
    )


def dedupe(packages: list[Package]) -> list[Package]:
    seen: dict[tuple[str, str, str], Package] = {}
    for p in packages:
        seen.setdefault((p.ecosystem, p.name.lower(), p.version), p)
    return sorted(seen.values(), key=lambda p: (p.ecosystem, p.name.lower(), p.version))
