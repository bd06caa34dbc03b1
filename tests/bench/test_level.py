"""Levels on plain data: candidates accepted only when they persist; missed steps found."""

from __future__ import annotations

from shipyard.bench import calibrate, level
from shipyard.bench.interface import Direction, Status, Thresholds
from shipyard.bench.level import Job


def runs(values: list[float], flagged: tuple[int, ...] = ()) -> list[Job]:
    return [
        Job(f"c{i}", (v * 0.999, v, v * 1.001), new_level=i in flagged)
        for i, v in enumerate(values)
    ]


def test_an_outlier_candidate_is_dropped() -> None:
    got = level.split(runs([100, 101, 99, 60, 100, 102], flagged=(3,)))
    assert got.segments == ((0, 1, 2, 4, 5),) and got.candidate == ()


def test_a_candidate_is_accepted_by_a_second_commit() -> None:
    got = level.split(runs([100, 101, 99, 60, 61, 59], flagged=(3,)))
    assert got.segments == ((0, 1, 2), (3, 4, 5))
    pending = level.split(runs([100, 101, 99, 60], flagged=(3,)))
    assert pending.current == (0, 1, 2) and pending.candidate == (3,)


def test_two_runs_of_one_commit_do_not_accept_a_level() -> None:
    jobs = runs([100, 101, 160, 160], flagged=(2, 3))
    jobs[3] = Job("c2", jobs[3].samples, new_level=True)  # a re-run of c2
    assert level.split(jobs).candidate == (2, 3)


def test_a_flagged_run_unlike_both_levels_is_a_candidate_of_its_own() -> None:
    got = level.split(runs([100, 101, 60, 200], flagged=(2, 3)))
    assert got.current == (0, 1) and got.candidate == (3,)


def test_absorbed_finds_a_persistent_step_only() -> None:
    limits = Thresholds()
    flat = runs([100 + (i % 3) for i in range(20)])
    assert level.absorbed(flat, 101, limits, Direction.SMALLER) is None
    stepped = runs([100 + (i % 3) for i in range(20)] + [130 + (i % 3) for i in range(4)])
    step = level.absorbed(stepped, 131, limits, Direction.SMALLER)
    assert step is not None and step.status is Status.WARN and step.runs == 5
    assert (step.last_before, step.first) == ("c19", "c20")
    assert level.absorbed(stepped, 131, limits, Direction.BIGGER).status is Status.IMPROVED  # type: ignore[union-attr]
    small = runs([100 + (i % 3) for i in range(20)] + [110 + (i % 3) for i in range(4)])
    assert level.absorbed(small, 111, limits, Direction.SMALLER) is None  # under warn
    young = runs([100, 101, 102, 130, 131])
    assert level.absorbed(young, 130, limits, Direction.SMALLER) is None


def test_the_machine_factor_must_agree_and_explain() -> None:
    assert calibrate.agreed(1.4, 1.3) == 1.3 and calibrate.agreed(0.6, 0.7) == 0.7
    assert calibrate.agreed(1.4, 0.7) is None and calibrate.agreed(None, 1.2) is None
    assert calibrate.explains(Status.WARN, Direction.SMALLER, 1.4)
    assert not calibrate.explains(Status.WARN, Direction.SMALLER, 0.6)
    assert calibrate.explains(Status.IMPROVED, Direction.SMALLER, 0.6)
    assert not calibrate.explains(Status.IMPROVED, Direction.SMALLER, 1.4)
    assert calibrate.explains(Status.FAIL, Direction.BIGGER, 0.6)
