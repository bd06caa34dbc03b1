"""Evaluate the quality gates: read the reports, judge them, record and show the results.

`evaluate` is the core (typed options in, an `Evaluation` out); `emit` renders it; `after_run`
is what `shipyard run` calls once its stages have finished.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipyard import output
from shipyard.config import Definition
from shipyard.errors import ShipyardError
from shipyard.gates import collect, diffcov, history, render, rules, settings
from shipyard.gates.interface import Finding, GateResult, GateStatus
from shipyard.git import Repo
from shipyard.pipeline import history as run_history
from shipyard.store import Store, write_atomic


@dataclass(frozen=True)
class Options:
    base: str | None = None  # --base REF; None: merge base with the configured base branch
    run_id: int | None = None
    trusted: Collection[str] = ()  # stages that ran (or were restored) in that run
    scope: collect.RunScope | None = None  # after `shipyard run`: only that run's reports


@dataclass
class Evaluation:
    results: list[GateResult]
    commit: str | None = None
    branch: str | None = None
    base_branch: str = "main"
    changed: diffcov.ChangedCoverage | None = None
    reports: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    stale_fails: bool = False
    warn_only: bool = False
    findings: list[Finding] = field(default_factory=list)

    @property
    def stale_failed(self) -> bool:
        return bool(self.stale) and self.stale_fails

    @property
    def passed(self) -> bool:
        return rules.passed(self.results) and not self.stale_failed

    def warnings(self) -> list[str]:
        short = (self.commit or "")[:12]
        return [
            f"{s} was written before the HEAD commit {short}: it may describe another "
            "commit; run its stage again"
            for s in self.stale
        ] + [f"{s} was not rewritten by this run: not judged" for s in self.ignored]

    def serialize(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "warn_only": self.warn_only,
            "commit": self.commit,
            "branch": self.branch,
            "base_branch": self.base_branch,
            "changed_lines_base": self.changed.base if self.changed else None,
            "reports": self.reports,
            "stale_reports": self.stale,
            "ignored_reports": self.ignored,
            "gates": [r.serialize() for r in self.results],
            "uncovered_changed_lines": self.changed.missing if self.changed else {},
        }


def evaluate(definition: Definition, store: Store, opts: Options) -> Evaluation:
    cfg = settings.load(definition)
    repo = Repo.find(definition.root)
    head = repo.head() if repo else None
    head_time = float(repo.git("log", "-1", "--format=%ct", "HEAD")) if repo and head else None
    got = collect.collect(definition, cfg, head_time, opts.trusted, opts.scope)
    changed = _changed(repo, cfg, opts.base, got.inputs) if got.inputs.coverage else None
    got.inputs.changed = changed
    got.inputs.build_time = _build_time(definition, store, opts.run_id, head)
    results = rules.judge(cfg, rules.measure(got.inputs), history.baseline(store, cfg.base))
    root = repo.root if repo else definition.root
    ev = Evaluation(
        results,
        head,
        repo.branch() if repo else None,
        cfg.base,
        changed if isinstance(changed, diffcov.ChangedCoverage) else None,
        [f"{collect.describe(s)}: {fmt}" for s, fmt in got.read],
        [collect.describe(s) for s in got.stale],
        [collect.describe(s) for s in got.ignored],
        cfg.stale_fails,
        cfg.warn_only,
        [_relative(f, root) for f in got.findings],
    )
    history.record(
        store,
        results,
        run_id=opts.run_id,
        commit=head,
        branch=ev.branch,
        base=ev.changed.base if ev.changed else None,
        passed=ev.passed,
    )
    return ev


def _changed(
    repo: Repo | None, cfg: settings.GateConfig, base: str | None, inputs: rules.Inputs
) -> diffcov.ChangedCoverage | str:
    if "coverage.changed_lines" not in cfg.thresholds:
        return "turned off"
    if repo is None or repo.head() is None:
        return "not a git repository with commits"
    if not any(c.files for c in inputs.coverage):
        return "the coverage reports have no per-line data (add lcov or Cobertura)"
    ref = repo.require_rev(base) if base else diffcov.default_base(repo, cfg.base)
    if ref is None:
        return f"no base: branch {cfg.base!r} does not exist (use --base REF)"
    hits = diffcov.merge_hits((c.files for c in inputs.coverage), str(repo.root))
    return diffcov.measure(diffcov.changed_lines(repo, ref), hits, ref)


def _build_time(
    definition: Definition, store: Store, run_id: int | None, head: str | None
) -> float | None:
    names = [
        s.name for s in definition.stages.values() if "bundle" in s.reports or s.name == "build"
    ]
    if not names:
        return None
    return run_history.stage_time(store, names, run_id, head)


def _relative(f: Finding, root: Path) -> Finding:
    return Finding(collect.relative(f.file, root), f.line, f.column, f.severity, f.code, f.message)


RENDERERS = {"json": render.as_json, "markdown": render.as_markdown, "junit": render.as_junit}


def emit(ev: Evaluation, fmt: str = "table", to: Path | None = None) -> None:
    """Show the results: the table, or a format on stdout or into the file `to` (with the
    table on the terminal); in CI also the GitHub step summary and annotations."""
    if fmt == "table" or to is not None:
        shown = ev.results
        if output.verbosity() == output.QUIET:  # --quiet: the failures, warnings and verdict
            shown = [r for r in ev.results if r.status == GateStatus.FAILED]
        if shown:
            output.table(render.COLUMNS, [render.row(r) for r in shown], title="quality gates")
        for warning in ev.warnings():
            output.err(f"warning: {warning}")
        note = " (warn only: not failing)" if ev.warn_only and not ev.passed else ""
        output.out(render.verdict(ev) + note)
    if fmt != "table":
        body = RENDERERS[fmt](ev)
        if to is not None:
            write_atomic(to, body)
        else:
            output.out(body.rstrip("\n"))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(render.as_markdown(ev) + "\n")
        except OSError as exc:  # the summary is a courtesy: never lose the verdict over it
            output.err(f"warning: cannot append to GITHUB_STEP_SUMMARY {summary}: {exc.strerror}")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        # on stdout only when stdout is not a machine format; the runner reads both streams
        say = output.out if fmt in ("table", "markdown") or to is not None else output.err
        for line in render.workflow_commands(ev.findings):
            say(line)


def _scope(store: Store, run_id: int) -> collect.RunScope:
    started, rows = run_history.judged_stages(store, run_id)
    # a matrix cell is recorded as `unit[python=3.12]`; its reports belong to stage `unit`
    ran = {name.split("[")[0] for name, status in rows if status != "cached"}
    restored = {name.split("[")[0] for name, status in rows if status == "cached"}
    return collect.RunScope(float(started), ran, restored)


def after_run(definition: Definition, store: Store, run_id: int, show: bool = True) -> bool:
    """Called by `shipyard run` after its stages: True when the gates pass (or warn only).

    `show=False` (for `run --json`) records the results without printing the table."""
    try:
        ev = evaluate(definition, store, Options(run_id=run_id, scope=_scope(store, run_id)))
    except ShipyardError as exc:  # the run is recorded already; a bad report fails the gates
        output.err(exc.render())
        return False
    if show:
        emit(ev)
    return ev.passed or ev.warn_only
