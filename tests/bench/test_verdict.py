"""Verdicts on plain data: thresholds, significance, levels, re-measurement."""

from __future__ import annotations

import random

import pytest

from shipyard.bench.interface import Direction, Status, Thresholds
from shipyard.bench.verdict import (
    Comparison,
    Job,
    compare,
    confirm,
    current_level,
    job_spread,
    settle,
)

LIMITS = Thresholds()


def jobs(levels: list[float], spread: float = 0.02, seed: int = 1) -> list[Job]:
    """One job per level, each 10 samples sharing a per-job factor."""
    rng = random.Random(seed)
    out = []
    for i, level in enumerate(levels):
        runner = 1 + rng.gauss(0, spread)
        out.append(
            Job(f"c{i}", tuple(level * runner * (1 + rng.gauss(0, 0.005)) for _ in range(10)))
        )
    return out


def samples(level: float, n: int = 10) -> tuple[float, ...]:
    return tuple(level * (1 + 0.001 * (i - n / 2)) for i in range(n))


def test_no_baseline_is_new() -> None:
    result = compare([], samples(1.0), LIMITS, Direction.SMALLER)
    assert result.status is Status.NEW and result.note == "no baseline"


@pytest.mark.parametrize(
    ("level", "status"),
    [
        (1.0, Status.OK),
        (1.1, Status.OK),
        (1.3, Status.WARN),
        (1.6, Status.FAIL),
        (0.7, Status.IMPROVED),
    ],
)
def test_thresholds_against_a_steady_baseline(level: float, status: Status) -> None:
    result = compare(jobs([1.0] * 10), samples(level), LIMITS, Direction.SMALLER)
    assert result.status is status
    assert result.ratio == pytest.approx(level, rel=0.05)
    assert result.low is not None and result.high is not None
    assert result.low < result.ratio < result.high
    assert result.baseline_runs == 10


def test_noisy_baseline_makes_a_large_ratio_insignificant() -> None:
    noisy = jobs([1.0] * 10, spread=0.25, seed=3)
    result = compare(noisy, samples(1.3), LIMITS, Direction.SMALLER)
    assert result.ratio is not None and result.ratio > 1.2
    assert result.p is not None and result.p > LIMITS.alpha
    assert result.status is Status.OK


def test_bigger_is_better_flips_the_direction() -> None:
    base = jobs([100.0] * 10)
    assert compare(base, samples(50.0), LIMITS, Direction.BIGGER).status is Status.FAIL
    assert compare(base, samples(150.0), LIMITS, Direction.BIGGER).status is Status.IMPROVED


def test_per_benchmark_thresholds() -> None:
    strict = Thresholds(warn=0.05, fail=0.10)
    assert compare(jobs([1.0] * 10), samples(1.15), strict, Direction.SMALLER).status is Status.FAIL


def test_an_accepted_change_is_the_new_level() -> None:
    history = jobs([1.0] * 10 + [1.6] * 3)
    history[10] = Job(history[10].commit, history[10].samples, new_level=True)
    assert [j.commit for j in current_level(history, 10)] == ["c10", "c11", "c12"]
    assert compare(history, samples(1.6), LIMITS, Direction.SMALLER).status is Status.OK
    unmarked = [Job(j.commit, j.samples) for j in history]
    assert compare(unmarked, samples(1.6), LIMITS, Direction.SMALLER).status is Status.FAIL


def test_spread_ignores_the_jump_between_levels() -> None:
    flat, df = job_spread(jobs([1.0] * 6))
    history = jobs([1.0] * 3 + [2.0] * 3)
    history[3] = Job("c3", history[3].samples, new_level=True)
    stepped, df2 = job_spread(history)
    assert df == 5 and df2 == 4
    assert stepped < 0.1 and flat < 0.1
    assert job_spread(jobs([1.0, 1.0])) == (0.0, 0)


def test_values_that_are_not_positive_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):  # readers check them (test_inputs.py)
        compare(jobs([1.0] * 3), (0.0, 1.0), LIMITS, Direction.SMALLER)


def test_confirm_keeps_only_what_the_remeasurement_agrees_with() -> None:
    fail = Comparison(Status.FAIL, 1.6, 1.0, 1.6)
    warn_again = Comparison(Status.WARN, 1.3, 1.0, 1.3)
    ok_again = Comparison(Status.OK, 1.05, 1.0, 1.05)
    assert confirm(fail, warn_again).status is Status.WARN
    assert confirm(fail, warn_again).note == "re-measured: ×1.300, not confirming fail"
    assert confirm(fail, ok_again).status is Status.OK
    assert confirm(fail, Comparison(Status.FAIL, 1.7, 1.0, 1.7)).note == "re-measured: ×1.700"
    improved = Comparison(Status.IMPROVED, 0.5, 1.0, 0.5)
    assert confirm(improved, ok_again).status is Status.OK
    assert confirm(improved, improved).status is Status.IMPROVED
    plain = Comparison(Status.OK, 1.0)
    assert confirm(plain, fail) is plain


def test_a_flag_is_settled_by_the_best_two_of_three_remeasurements() -> None:
    fail = Comparison(Status.FAIL, 1.6, 1.0, 1.6)
    agree = Comparison(Status.FAIL, 1.7, 1.0, 1.7)
    weaker = Comparison(Status.WARN, 1.3, 1.0, 1.3)
    faster = Comparison(Status.OK, 1.0, 1.0, 1.0)  # a re-measurement on a faster moment
    assert settle(fail, [agree], 2) is None  # one agreement is not yet two
    assert settle(fail, [faster], 2) is None  # nor does one refusal withdraw it
    assert settle(fail, [faster, weaker], 2) is None  # one each: a third decides
    kept = settle(fail, [faster, weaker, agree], 2)
    assert kept is not None and kept.status is Status.WARN  # the weakest confirmation
    kept = settle(fail, [agree, faster, agree], 2)
    assert kept is not None and kept.status is Status.FAIL
    assert kept.note == "re-measured 3 times (×1.700, ×1.000, ×1.700): 2 agree"
    withdrawn = settle(fail, [faster, agree, faster], 2)
    assert withdrawn is not None and withdrawn.status is Status.OK
    assert settle(fail, [faster], 1).status is Status.OK  # type: ignore[union-attr]
    assert settle(fail, [agree], 1).status is Status.FAIL  # type: ignore[union-attr]
    plain = Comparison(Status.OK, 1.0)
    assert settle(plain, [], 2) is plain and settle(fail, [], 0) is fail


def test_a_significant_remeasurement_keeps_a_regression_a_warning() -> None:
    warn = Comparison(Status.WARN, 1.25, 1.0, 1.25, p=1e-4)
    just_under = Comparison(Status.OK, 1.18, 1.0, 1.18, p=0.002)  # slower, under warn
    unslowed = Comparison(Status.OK, 1.02, 1.0, 1.02, p=0.3)  # the episode is gone
    assert confirm(warn, just_under).status is Status.OK  # without alpha: thresholds only
    assert confirm(warn, just_under, 0.01).status is Status.WARN
    assert confirm(warn, unslowed, 0.01).status is Status.OK
    fail = Comparison(Status.FAIL, 1.6, 1.0, 1.6, p=1e-6)
    assert confirm(fail, just_under, 0.01).status is Status.WARN
    improved = Comparison(Status.IMPROVED, 0.7, 1.0, 0.7, p=0.999)
    assert confirm(improved, just_under, 0.01).status is Status.OK
