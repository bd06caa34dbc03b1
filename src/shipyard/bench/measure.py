"""Measure a command benchmark the way hyperfine does, plus peak memory.

Each run is a fresh process (`/bin/sh -c COMMAND` in its own session, started by
`shipyard.proc`); warm-up runs are discarded first (none for a cold benchmark, which instead
may run `prepare` before every run, e.g. to drop caches). `os.wait4` gives the user and system
time and the peak resident set size of the process tree: Linux reports the largest RSS of the
shell and every descendant it waited for.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from shipyard import output, proc
from shipyard.bench.interface import BenchError, BenchSpec, Direction, Series

# ru_maxrss is in kilobytes on Linux, bytes on macOS
_RSS_SCALE = 1 if sys.platform == "darwin" else 1024


@dataclass(frozen=True)
class Sample:
    wall: float
    user: float
    sys: float
    peak_rss: float


def run_once(command: str, cwd: Path, timeout: float | None, label: str) -> Sample:
    """Run `command` once and measure it; a failure or timeout is a BenchError."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        child = proc.spawn_shell(command, cwd, os.environ, log.fileno())
        fired = threading.Event()
        timer = None
        try:  # from the spawn on: a Ctrl-C while the watchdog starts must not leave the child
            timer = _watchdog(child, timeout, fired)
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:  # Ctrl-C: take the benchmark's process tree down with us
            proc.kill_group(child, grace=0.5)
            raise
        finally:
            if timer is not None:
                timer.cancel()
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # we reaped it, not Popen
        if child.returncode != 0:
            log.seek(0)
            tail = log.read().decode(errors="replace").strip().splitlines()[-1:] or [""]
            why = (
                f"timed out after {timeout:g}s"
                if fired.is_set()
                else f"exited with {child.returncode}"
            )
            raise BenchError(
                f"{label}: `{command}` {why}" + (f": {tail[0]}" if tail[0] else ""),
                hint="a benchmark command must succeed; run it by hand to see why",
            )
    return Sample(wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss * _RSS_SCALE)


def _watchdog(
    child: proc.Process[bytes], timeout: float | None, fired: threading.Event
) -> threading.Timer | None:
    if timeout is None:
        return None

    def expire() -> None:
        # kill the whole group but do not reap: the measuring thread's wait4 does that
        fired.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, expire)
    timer.daemon = True
    timer.start()
    return timer


def measure(spec: BenchSpec, root: Path) -> list[Series]:
    """Warm up, then time `spec.runs` runs: wall, user and system time, and peak RSS."""
    assert spec.command is not None
    cwd = root / spec.cwd
    label = f"benchmark {spec.name!r}"
    warmup = 0 if spec.cold else spec.warmup
    samples: list[Sample] = []
    with output.progress(f"bench {spec.name}", warmup + spec.runs, "runs") as advance:
        for i in range(warmup):
            run_once(spec.command, cwd, spec.timeout, f"{label}, warm-up {i + 1}")
            advance()
        for i in range(spec.runs):
            if spec.prepare:
                run_once(spec.prepare, cwd, spec.timeout, f"{label}, prepare before run {i + 1}")
            samples.append(run_once(spec.command, cwd, spec.timeout, f"{label}, run {i + 1}"))
            output.detail(f"{label}, run {i + 1}: {samples[-1].wall:.3f} s")
            advance()
    return [
        Series(
            spec.name, metric, unit, Direction.SMALLER, tuple(getattr(s, metric) for s in samples)
        )
        for metric, unit in (("wall", "s"), ("user", "s"), ("sys", "s"), ("peak_rss", "B"))
    ]


def collect(spec: BenchSpec, root: Path) -> list[Series]:
    """The series of one benchmark: measured, or produced by its command and imported."""
    if not spec.imported:
        return measure(spec, root)
    from shipyard.bench import importers

    if spec.command:
        run_once(spec.command, root / spec.cwd, spec.timeout, f"benchmark {spec.name!r}")
    return importers.read(spec, root)
