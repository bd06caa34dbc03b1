"""shipyard as a library: the calls other programs may rely on, with typed results.

Everything here is public and follows semantic versioning; every other module is internal and
may change in any release. The CLI (`shipyard.commands`) and the git hooks call these functions,
so what a script gets is what a user at the terminal gets.

    from pathlib import Path
    from shipyard import api

    run = api.run(Path("."), ["unit"])        # a recorded pipeline run
    gates = api.evaluate_gates(Path("."))     # the quality gates, from the reports on disk
    version = api.decide_version(Path("."))   # the next version the commits warrant
    versions = api.decide_versions(Path(".")) # ... or of each package of a monorepo
    scan = api.scan(Path("."), ["secrets"])   # security scanners and their gate verdicts

Errors are `shipyard.errors.ShipyardError` subclasses (`ConfigError`, `UsageError`, …) carrying
the message and hint the CLI prints; nothing here prints results or exits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shipyard.config import Definition
    from shipyard.gates.evaluate import Evaluation
    from shipyard.pipeline.model import RunResult
    from shipyard.pipeline.session import RunOptions
    from shipyard.release.decide import Decision
    from shipyard.release.packages import PackageRelease
    from shipyard.release.settings import Settings as ReleaseSettings
    from shipyard.security.gates import Verdict
    from shipyard.security.interface import ScanResult
    from shipyard.security.settings import Settings as ScanSettings
    from shipyard.workspace import Workspace

__all__ = [
    "ScanOptions",
    "ScanOutcome",
    "Versions",
    "decide_version",
    "decide_versions",
    "evaluate_gates",
    "gate_history",
    "load",
    "run",
    "scan",
]


def load(root: Path) -> Definition:
    """The validated definition of the project at `root` (shipyard.toml or pyproject.toml)."""
    from shipyard import config

    return config.load(root)


def run(
    root: Path,
    stages: Sequence[str] = (),
    *,
    release: bool = False,
    options: RunOptions | None = None,
) -> RunResult:
    """Run the pipeline (or `stages` and what they need), record it, judge the gates.

    `RunResult.ok` says whether every critical stage passed and the gates held; the run is
    in the project's store like any `shipyard run`."""
    from shipyard.pipeline import session

    return session.execute(root, stages, release=release, options=options)


def evaluate_gates(
    root: Path, base: str | None = None, *, definition: Definition | None = None
) -> Evaluation:
    """The quality gates judged from the reports the stages wrote (`shipyard gate`), and
    recorded in the store; `definition` when it is loaded already."""
    from shipyard import config
    from shipyard.gates.evaluate import Options, evaluate
    from shipyard.store import Store

    definition = definition or config.load(root)
    store = Store(definition.root)
    try:
        return evaluate(definition, store, Options(base=base))
    finally:
        store.close()


def gate_history(root: Path, limit: int = 20) -> list[dict[str, Any]]:
    """The last `limit` recorded gate evaluations, newest first, each with every figure."""
    from shipyard.gates import history
    from shipyard.store import Store

    store = Store(root)
    try:
        return history.evaluations(store, limit)
    finally:
        store.close()


def decide_version(root: Path, channel: str | None = None) -> Decision:
    """The next version the conventional commits since the last release warrant."""
    from shipyard.release import settings
    from shipyard.release.decide import decide

    conf, folder = settings.load(root)
    return decide(folder, conf, channel)


@dataclass(frozen=True)
class Versions:
    """The next versions of a project: one `decision`, or a monorepo's `packages`."""

    root: Path  # the folder holding the definition (or the project)
    settings: ReleaseSettings
    decision: Decision | None = None  # a single-package project
    packages: list[PackageRelease] | None = None  # a monorepo's, in dependency order
    workspace: Workspace | None = None

    def package(self, name: str) -> PackageRelease:
        """The decision of the package `name` (UsageError outside a monorepo, or unknown)."""
        from shipyard.release import packages

        if self.packages is None or self.workspace is None:
            raise _not_a_monorepo(self.root, name)
        return packages.pick(self.packages, self.workspace, name)


def decide_versions(root: Path, channel: str | None = None, package: str | None = None) -> Versions:
    """The next version of the project, or of every package of a monorepo (`shipyard version`);
    `package` asks for one package, and is a UsageError outside a monorepo."""
    from shipyard.release import packages, settings
    from shipyard.release.decide import decide

    conf, folder = settings.load(root)
    ws = packages.monorepo(folder, released_only=True)  # fixtures, playgrounds: unread
    if ws is not None:
        return Versions(folder, conf, None, packages.decide_all(ws, conf, channel), ws)
    if package:
        raise _not_a_monorepo(folder, package)
    return Versions(folder, conf, decide(folder, conf, channel))


def _not_a_monorepo(root: Path, name: str) -> Exception:
    from shipyard.errors import UsageError

    return UsageError(
        f"--package {name}: {root} is not a monorepo (no workspace found)",
        hint="declare the packages in `[workspace] packages = [...]`, or drop --package",
    )


@dataclass(frozen=True)
class ScanOptions:
    """How to scan, beside the `[scan]` settings: what `shipyard scan`'s options give."""

    mode: str = "tree"  # secrets: "tree", "staged" (the next commit) or "history" (every commit)
    rule_files: tuple[Path, ...] = ()
    baseline: Path | None = None  # default: [scan.secrets] baseline
    db: tuple[Path, ...] = ()  # OSV databases; default: [scan.deps] db
    installed: tuple[Path, ...] = ()  # site-packages folders read besides the lockfiles
    jobs: int = 0  # secret-scan workers; 0: from the work and the idle CPUs


@dataclass(frozen=True)
class ScanOutcome:
    """What the scanners found, and each scanner's gate verdict."""

    results: list[ScanResult]
    verdicts: list[Verdict]
    settings: ScanSettings  # the [scan] settings the scanners used

    @property
    def passed(self) -> bool:
        return all(v.passed for v in self.verdicts) and not any(r.error for r in self.results)


def scan(
    root: Path, scanners: Sequence[str] = (), options: ScanOptions | None = None
) -> ScanOutcome:
    """Run the named scanners (default: all of secrets, deps, code, licenses) over the tree."""
    from shipyard.security import gates, registry
    from shipyard.security import settings as scan_settings
    from shipyard.security.registry import ScanRequest

    settings = scan_settings.load(root)
    names = list(scanners) or list(registry.SCANNERS)
    unknown = [n for n in names if n not in registry.SCANNERS]
    if unknown:
        from shipyard.errors import UsageError

        raise UsageError(
            f"no scanner named {unknown[0]!r}", hint=f"scanners: {', '.join(registry.SCANNERS)}"
        )
    o = options or ScanOptions()
    request = ScanRequest(
        root=root,
        settings=settings,
        mode=o.mode,
        rule_files=o.rule_files,
        baseline=o.baseline,
        db=o.db,
        installed=o.installed,
        jobs=o.jobs,
    )
    results = registry.run(names, request)
    return ScanOutcome(results, gates.evaluate_all(results, settings), settings)
