"""Calibration: a measurably slow machine withdraws the flags it explains, and only those."""

from __future__ import annotations

from pathlib import Path

from shipyard.bench import calibrate
from shipyard.bench.interface import Direction, Series, Status, Thresholds
from shipyard.bench.verdict import Job, compare

STEADY = [Job(f"c{i}", tuple(1.0 + 0.002 * ((i * 3 + k) % 5) for k in range(5))) for i in range(10)]


def at(level: float) -> tuple[float, ...]:
    return tuple(level * (1 + 0.001 * k) for k in range(5))


def test_slowdown_only_when_significant() -> None:
    assert calibrate.slowdown(STEADY, at(1.01), 10) is None
    factor = calibrate.slowdown(STEADY, at(1.4), 10)
    assert factor is not None and 1.35 < factor < 1.45
    assert calibrate.slowdown([], at(1.4), 10) is None


def test_a_slow_machine_withdraws_the_flag_it_explains() -> None:
    first = compare(STEADY, at(1.45), Thresholds(), Direction.SMALLER)
    assert first.status is Status.WARN
    result = calibrate.relative(first, STEADY, at(1.45), Thresholds(), Direction.SMALLER, 10, 1.4)
    assert result.status is Status.OK
    assert result.note == "machine ×1.40 slower in this job (calibration): warn withdrawn"


def test_a_real_regression_survives_a_slightly_slow_machine() -> None:
    first = compare(STEADY, at(2.0), Thresholds(), Direction.SMALLER)
    result = calibrate.relative(first, STEADY, at(2.0), Thresholds(), Direction.SMALLER, 10, 1.1)
    assert first.status is result.status is Status.FAIL
    assert result.note == "machine ×1.10 slower in this job (calibration)"


def test_only_timings_are_calibrated() -> None:
    def series(metric: str, unit: str) -> Series:
        return Series("b", metric, unit, Direction.SMALLER, (1.0,))

    assert calibrate.is_timing(series("wall", "s"))
    assert calibrate.is_timing(series("value", "ms"))
    assert not calibrate.is_timing(series("peak_rss", "B"))
    assert not calibrate.is_timing(series("value", "ops/s"))


def test_the_workload_is_measured(tmp_path: Path) -> None:
    s = calibrate.measure_machine(tmp_path)
    assert s.key == calibrate.KEY and len(s.samples) == 5 and min(s.samples) > 0
