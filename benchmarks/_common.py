"""Shared helpers for the benchmark scripts: timing commands and printing medians."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def time_command(
    args: Sequence[str],
    cwd: Path | None = None,
    runs: int = 15,
    warmup: int = 2,
    env: dict[str, str] | None = None,
) -> list[float]:
    """Wall-clock seconds of `runs` executions after `warmup` ones; fails loudly on exit != 0."""
    full_env = {**os.environ, **(env or {})}
    samples = []
    for i in range(warmup + runs):
        t0 = time.perf_counter()
        cp = subprocess.run(list(args), cwd=cwd, env=full_env, capture_output=True)
        elapsed = time.perf_counter() - t0
        if cp.returncode != 0:
            sys.exit(f"benchmark command failed: {' '.join(args)}\n{cp.stderr.decode()}")
        if i >= warmup:
            samples.append(elapsed)
    return samples


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


def report(name: str, samples: Sequence[float]) -> None:
    q = statistics.quantiles(samples, n=4) if len(samples) >= 4 else [min(samples)] * 3
    print(
        f"{name:<40} median {median_ms(samples):8.1f} ms   "
        f"IQR {q[0] * 1000:.1f}–{q[2] * 1000:.1f} ms   n={len(samples)}"
    )


def require(tool: str, hint: str) -> str:
    found = shutil.which(tool)
    if not found:
        sys.exit(f"{tool} not found: {hint}")
    return found


def wall_and_cpu(
    args: Sequence[str],
    cwd: Path | None = None,
    runs: int = 5,
    warmup: int = 1,
    env: dict[str, str] | None = None,
    ok: Sequence[int] = (0,),
) -> tuple[float, float]:
    """Median wall and median CPU seconds (user + sys of the command and every process it
    waited for) over `runs` runs after `warmup`; CPU stays meaningful on a loaded machine."""
    import resource

    full_env = {**os.environ, **(env or {})}
    walls, cpus = [], []
    for i in range(warmup + runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        cp = subprocess.run(list(args), cwd=cwd, env=full_env, capture_output=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if cp.returncode not in ok:
            sys.exit(f"benchmark command failed: {' '.join(args)}\n{cp.stderr.decode()[-2000:]}")
        if i >= warmup:
            walls.append(wall)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)
