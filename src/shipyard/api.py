"""shipyard as a library: the calls other programs may rely on, with typed results.

Everything here is public and follows semantic versioning; every other module is internal and
may change in any release. The CLI (`shipyard.commands`) and the git hooks call these functions,
so what a script gets is what a user at the terminal gets.

    from pathlib import Path
    from shipyard import api

    run = api.run(Path("."), ["unit"])        # a recorded pipeline run
    gates = api.evaluate_gates(Path("."))     # the quality gates, from the reports on disk
    version = api.decide_version(Path("."))   # the next version the commits warrant
    scan = api.scan(Path("."), ["secrets"])   # security scanners and their gate verdicts

Errors are `shipyard.errors.ShipyardError` subclasses (`ConfigError`, `UsageError`, …) carrying
the message and hint the CLI prints; nothing here prints results or exits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shipyard.config import Definition
    from shipyard.gates.evaluate import Evaluation
    from shipyard.pipeline.model import RunResult
    from shipyard.pipeline.session import RunOptions
    from shipyard.release.decide import Decision
    from shipyard.security.gates import Verdict
    from shipyard.security.interface import ScanResult

__all__ = [
    "ScanOutcome",
    "decide_version",
    "evaluate_gates",
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


def evaluate_gates(root: Path, base: str | None = None) -> Evaluation:
    """The quality gates judged from the reports the stages wrote (`shipyard gate`)."""
    from shipyard import config
    from shipyard.gates.evaluate import Options, evaluate
    from shipyard.store import Store

    definition = config.load(root)
    store = Store(definition.root)
    try:
        return evaluate(definition, store, Options(base=base))
    finally:
        store.close()


def decide_version(root: Path, channel: str | None = None) -> Decision:
    """The next version the conventional commits since the last release warrant."""
    from shipyard.release import settings
    from shipyard.release.decide import decide

    conf, folder = settings.load(root)
    return decide(folder, conf, channel)


@dataclass(frozen=True)
class ScanOutcome:
    """What the scanners found, and each scanner's gate verdict."""

    results: list[ScanResult]
    verdicts: list[Verdict]

    @property
    def passed(self) -> bool:
        return all(v.passed for v in self.verdicts) and not any(r.error for r in self.results)


def scan(root: Path, scanners: Sequence[str] = ()) -> ScanOutcome:
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
    results = registry.run(names, ScanRequest(root=root, settings=settings))
    return ScanOutcome(results, gates.evaluate_all(results, settings))
