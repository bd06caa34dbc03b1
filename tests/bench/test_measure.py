"""Measuring real commands: time, peak memory of the process tree, failures and timeouts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from shipyard.bench.interface import BenchError, BenchSpec
from shipyard.bench.measure import collect, measure, run_once


def _nap_in_a_fresh_process(tmp_path: Path) -> tuple[float, float]:
    """`sleep 0.05` measured from a new interpreter, as `shipyard bench run` measures.

    Linux records the parent's resident size as the child's peak at exec, so a command
    measured from a large process (a pytest worker late in the suite: 160 MB) reports at
    least that; from the CLI the floor is shipyard's own size (docs/benchmarking.md)."""
    code = (
        "import sys; from pathlib import Path; from shipyard.bench.measure import run_once; "
        "s = run_once('sleep 0.05', Path(sys.argv[1]), None, 't'); print(s.wall, s.peak_rss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    return float(out[0]), float(out[1])


def test_wall_user_and_memory_of_a_real_command(tmp_path: Path) -> None:
    wall, peak = _nap_in_a_fresh_process(tmp_path)
    assert wall >= 0.05 and 0 < peak < 100_000_000
    hog = run_once(
        f"{sys.executable} -c 'x = bytearray(150_000_000); x[::4096] = b\"1\" * len(x[::4096])'",
        tmp_path,
        None,
        "t",
    )
    assert hog.peak_rss > 150_000_000
    assert hog.user + hog.sys > 0


def test_memory_of_a_grandchild_counts(tmp_path: Path) -> None:
    # the shell forks python and waits: the tree's peak is reported
    inner = f"{sys.executable} -c 'x = bytearray(120_000_000); x[::4096] = b\"1\" * 29297'"
    tree = run_once(f'sh -c "{inner}"; true', tmp_path, None, "t")
    assert tree.peak_rss > 120_000_000


def test_series_and_warmup(tmp_path: Path) -> None:
    log = tmp_path / "log"
    spec = BenchSpec("count", command=f"echo x >> {log}", runs=3, warmup=2)
    series = measure(spec, tmp_path)
    assert [s.key for s in series] == ["count", "count:user", "count:sys", "count:peak_rss"]
    assert all(len(s.samples) == 3 for s in series)
    assert log.read_text().count("x") == 5


def test_cold_runs_prepare_before_each_run_and_no_warmup(tmp_path: Path) -> None:
    log = tmp_path / "log"
    spec = BenchSpec(
        "c",
        command=f"echo run >> {log}",
        runs=2,
        warmup=3,
        cold=True,
        prepare=f"echo prep >> {log}",
    )
    measure(spec, tmp_path)
    assert log.read_text().split() == ["prep", "run", "prep", "run"]


def test_a_failing_command_is_named(tmp_path: Path) -> None:
    spec = BenchSpec("broken", command="echo boom >&2; exit 3", runs=2, warmup=0)
    with pytest.raises(BenchError) as info:
        measure(spec, tmp_path)
    assert info.value.message == (
        "benchmark 'broken', run 1: `echo boom >&2; exit 3` exited with 3: boom"
    )


def test_a_timeout_kills_the_command(tmp_path: Path) -> None:
    spec = BenchSpec("slow", command="sleep 30", runs=1, warmup=0, timeout=0.3)
    with pytest.raises(BenchError) as info:
        measure(spec, tmp_path)
    assert info.value.message == "benchmark 'slow', run 1: `sleep 30` timed out after 0.3s"


def test_an_imported_benchmark_runs_its_command_first(tmp_path: Path) -> None:
    cmd = """echo '[{"name": "n", "unit": "ms", "value": 2}]' > out.json"""
    spec = BenchSpec("imp", command=cmd, results="out.json", format="customSmallerIsBetter")
    (series,) = collect(spec, tmp_path)
    assert series.key == "imp/n" and series.samples == (2.0,)
