"""How a run looks on the terminal: live progress or plain lines, a failed stage's output, the
summary table. Renders data from `model`; writes only through `shipyard.output`."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from shipyard import output
from shipyard.config import format_duration
from shipyard.pipeline.model import RunResult, StageResult, Status
from shipyard.pipeline.plan import Instance

MARK = {
    Status.PASSED: "✓",
    Status.CACHED: "✓",
    Status.FAILED: "✗",
    Status.TIMEOUT: "✗",
    Status.SKIPPED: "-",
    Status.BLOCKED: "!",
    Status.CANCELLED: "!",
}
LOG_TAIL = 60
COLOR = {
    Status.PASSED: "green",
    Status.CACHED: "green",
    Status.FAILED: "red",
    Status.TIMEOUT: "red",
    Status.SKIPPED: "dim",
    Status.BLOCKED: "yellow",
    Status.CANCELLED: "yellow",
}


class Reporter:
    """Plain lines, one per event: what CI logs and pipes get. `quiet` (a JSON document or a
    library caller) prints nothing; `shipyard --quiet` only failures; `--verbose` also each
    stage's commands, cache key and log."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.started: dict[str, float] = {}

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def line(self, text: str) -> None:
        if not self.quiet:
            output.out(text)

    def info(self, text: str) -> None:
        if output.verbosity() > output.QUIET:
            self.line(text)

    def detail(self, text: str) -> None:
        if output.verbosity() >= output.VERBOSE:
            self.line(text)

    def on_started(self, inst: Instance) -> None:
        self.started[inst.name] = time.monotonic()
        self.info(f"▶ {inst.name}")
        for command in inst.stage.run:
            self.detail(f"  $ {command}")

    def on_finished(self, inst: Instance, res: StageResult) -> None:
        text = output.paint(
            f"{MARK[res.status]} {res.name} {res.status}", COLOR.get(res.status, "")
        )
        if res.status in (Status.PASSED, Status.FAILED, Status.TIMEOUT):
            text += f" in {format_duration(res.duration)}"
        if res.reason and res.status is not Status.PASSED:
            text += f" ({res.reason})"
        if res.over_budget and res.budget is not None:
            text += f" — over its {format_duration(res.budget)} budget"
        failed = res.status in (Status.FAILED, Status.TIMEOUT)
        (self.line if failed or res.over_budget else self.info)(text)
        if res.cache_key:
            hit = "hit" if res.status is Status.CACHED else "miss"
            self.detail(f"  cache {hit}: key {res.cache_key}")
        if res.log:
            self.detail(f"  log: {res.log}")
        if failed and res.log:
            self.line(_tail(Path(res.log)))

    def tick(self) -> None:
        pass


class LiveReporter(Reporter):
    """On a terminal: the running stages with elapsed time against budget, redrawn in place."""

    def start(self) -> None:
        from rich.live import Live

        self.budgets: dict[str, float | None] = {}
        self.live = Live(
            self._render(), console=output.console(), transient=True, refresh_per_second=8
        )
        self.live.start()

    def stop(self) -> None:
        self.live.stop()

    def line(self, text: str) -> None:
        self.live.console.print(output.safe(text), markup=False, highlight=False)

    def on_started(self, inst: Instance) -> None:
        self.started[inst.name] = time.monotonic()
        self.budgets[inst.name] = inst.stage.budget

    def on_finished(self, inst: Instance, res: StageResult) -> None:
        self.started.pop(inst.name, None)
        super().on_finished(inst, res)
        self.tick()

    def tick(self) -> None:
        self.live.update(self._render())

    def _render(self) -> Any:
        from rich.text import Text

        now = time.monotonic()
        parts = []
        for name, t0 in self.started.items():
            budget = self.budgets.get(name)
            spent = format_duration(now - t0)
            limit = f" / {format_duration(budget)}" if budget else ""
            style = "red" if budget and now - t0 > budget else ""
            parts.append(Text(f"⠿ {name}  {spent}{limit}", style=style))
        return Text("\n").join(parts) if parts else Text("")


def _tail(log: Path) -> str:
    try:
        shown, total = tail_lines(log, LOG_TAIL)
    except OSError:
        return f"  (log {log} unreadable)"
    head = f"  ┌ output of {log.stem} (last {len(shown)} of {total} lines; full log: {log})"
    return "\n".join([head, *(f"  │ {ln}" for ln in shown), "  └"])


def tail_lines(log: Path, n: int, block: int = 64 * 1024) -> tuple[list[str], int]:
    """The last `n` lines of `log` and its number of lines, read from the end in blocks and
    counted in chunks: a 1 GB log costs a few blocks of memory, not a gigabyte."""
    with open(log, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        data = b""
        pos = size
        while pos > 0 and data.count(b"\n") <= n:
            step = min(block, pos)
            pos -= step
            fh.seek(pos)
            data = fh.read(step) + data
        fh.seek(0)
        total = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1024 * 1024), b""))
    if size and not data.endswith(b"\n"):
        total += 1  # a last line without its newline
    lines = data.decode("utf-8", "replace").splitlines()
    return lines[-n:] if pos == 0 else lines[1:][-n:], total


def summary(run: RunResult) -> None:
    """The table of stages and the verdict line (only the verdict with --quiet)."""
    rows = []
    for r in run.stages:
        rows.append(
            (
                r.name,
                str(r.status),
                format_duration(r.duration)
                if r.status not in (Status.SKIPPED, Status.BLOCKED, Status.CACHED)
                else "",
                format_duration(r.budget) if r.budget else "",
                "yes" if r.over_budget else "",
                "hit" if r.status is Status.CACHED else ("miss" if r.cache_key else ""),
            )
        )
    if output.verbosity() > output.QUIET:
        output.table(("stage", "status", "duration", "budget", "over budget", "cache"), rows)
    verdict = "passed" if run.ok else ("interrupted" if run.interrupted else "failed")
    output.out(f"run {run.id} {verdict} in {format_duration(run.duration)}")
    if run.changed_files:
        shown = ", ".join(run.changed_files[:10]) + (" …" if len(run.changed_files) > 10 else "")
        output.err(f"warning: the run changed tracked files: {shown}")
        output.err(
            "  a stage that checks must not rewrite the tree (ruff check --no-fix, prettier "
            "--check, eslint without --fix); see `git diff`"
        )
