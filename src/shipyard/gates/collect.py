"""Find the reports the stages declare (or the conventional ones), read them, flag stale ones.

A gate the definition names explicitly but no stage produces a report for is a configuration
error; a default gate without a report is shown as skipped. A report written before the HEAD
commit was made may describe another commit, so it is flagged.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from shipyard.config import Definition
from shipyard.errors import ConfigError
from shipyard.gates import files, registry
from shipyard.gates.interface import Finding, Findings, Report
from shipyard.gates.rules import Inputs
from shipyard.gates.settings import SPECS, GateConfig


@dataclass(frozen=True)
class Source:
    kind: str
    path: Path
    base: Path  # the folder the tool ran in: names inside the report are relative to it
    stage: str | None  # None: found at a conventional path


@dataclass
class Collected:
    inputs: Inputs = field(default_factory=Inputs)
    read: list[tuple[Source, str]] = field(default_factory=list)  # source, format name
    stale: list[Source] = field(default_factory=list)
    ignored: list[Source] = field(default_factory=list)  # left over from before this run
    findings: list[Finding] = field(default_factory=list)  # lint and type findings


def sources(definition: Definition) -> dict[str, list[Source]]:
    found: dict[str, list[Source]] = {kind: [] for kind in registry.READERS}
    for stage in definition.stages.values():
        base = definition.root / stage.cwd
        for kind, rel in stage.reports.items():
            if kind in found:
                found[kind].append(Source(kind, base / rel, base, stage.name))
    for kind, listed in found.items():
        if not listed:
            root = definition.root
            paths = registry.conventional(kind, root)
            if kind == "coverage":
                # one tool run often writes several formats (xml and json, lcov and summary):
                # summing them would count every line twice
                paths = paths[:1]
            listed.extend(Source(kind, p, root, None) for p in paths)
    return found


def check_explicit(definition: Definition, cfg: GateConfig, found: dict[str, list[Source]]) -> None:
    for spec in SPECS:
        wanted = spec.gate in cfg.explicit and spec.gate in cfg.thresholds
        if wanted and spec.kind in found and not found[spec.kind]:
            prefix = "tool.shipyard." if definition.file.name == "pyproject.toml" else ""
            raise ConfigError(
                definition.file,
                f"{prefix}gates.{spec.gate}",
                f"this gate reads a {spec.kind} report, but no stage declares one",
                hint=f'add `reports.{spec.kind} = "PATH"` to the stage that writes it, '
                "or set the gate to false",
            )


@dataclass(frozen=True)
class RunScope:
    """What one `shipyard run` produced: the stages it executed since `started`, and those it
    restored from the cache. After a run, the gates read only these stages' reports."""

    started: float
    ran: Collection[str] = ()
    restored: Collection[str] = ()

    def admits(self, source: Source) -> bool | None:
        """True: read it; False: a leftover of an earlier run; None: not this run's at all."""
        if source.stage in self.restored:
            return True
        if source.stage not in self.ran:
            return None
        # a stage that ran but did not rewrite its report leaves an earlier run's file behind
        return not source.path.exists() or _mtime(source.path) >= self.started - 0.05


def collect(
    definition: Definition,
    cfg: GateConfig,
    head_time: float | None,
    trusted: Collection[str] = (),
    scope: RunScope | None = None,
) -> Collected:
    """Read every report; `trusted` stages ran (or were restored) for HEAD.

    With a `scope` (after `shipyard run`), only reports of that run's stages are read: a
    conventional path, a stage left out of the run, or a report its stage did not rewrite is
    never judged, so a stale report can neither block nor pass the run.
    """
    found = sources(definition)
    check_explicit(definition, cfg, found)
    got = Collected()
    if scope is not None:
        trusted = {*scope.ran, *scope.restored}
    for kind, listed in found.items():
        for source in listed:
            admitted = scope.admits(source) if scope is not None else True
            if admitted is False:
                got.ignored.append(source)
            if not admitted:
                continue
            fmt, report = registry.read(kind, source.path, source.base)
            got.read.append((source, fmt))
            _add(got, kind, report)
            fresh = head_time is None or source.stage in trusted
            if not fresh and _mtime(source.path) < (head_time or 0):
                got.stale.append(source)
    return got


def _add(got: Collected, kind: str, report: Report) -> None:
    bucket: list[Report] = getattr(got.inputs, kind)
    bucket.append(report)
    if isinstance(report, Findings):
        got.findings.extend(report.items)


def _mtime(path: Path) -> float:
    if not path.is_dir():
        return path.stat().st_mtime
    # a build folder is as new as its newest file
    return max((p.stat().st_mtime for p in path.rglob("*") if p.is_file()), default=0.0)


def describe(source: Source) -> str:
    where = f"stage {source.stage}" if source.stage else "conventional path"
    return f"{files.show(source.path)} ({where})"


def relative(name: str, root: Path) -> str:
    """A report's file name relative to the repository root (for annotations)."""
    rel = os.path.relpath(os.path.realpath(name), os.path.realpath(root))
    return name if rel.startswith("..") else rel
