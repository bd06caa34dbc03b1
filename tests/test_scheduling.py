"""The suite's own schedule (tests/conftest.py): under `--dist worksteal` each xdist worker gets
one contiguous slice of the collection; the slices have the sizes xdist cuts, hold every test
once, balance the expected time and run longest first."""

from __future__ import annotations

from tests.conftest import _slices


def test_slices_balance_the_expected_time_in_the_sizes_worksteal_cuts() -> None:
    weights = [100.0, 90.0, 50.0, 40.0, 10.0, 5.0, 3.0] + [0.0] * 7  # sorted longest first
    slices = _slices(weights, 4)
    assert [len(s) for s in slices] == [3, 3, 4, 4]  # 14 // 4, 11 // 3, 8 // 2, 4 // 1
    assert sorted(i for s in slices for i in s) == list(range(len(weights)))
    for part in slices:
        assert part == sorted(part)  # longest first within a worker
    loads = [sum(weights[i] for i in s) for s in slices]
    assert sorted(loads) == [53.0, 55.0, 90.0, 100.0]  # nothing waits behind the 100 s test


def test_two_long_tests_never_share_a_worker_while_another_has_none() -> None:
    slices = _slices([300.0, 290.0, 1.0, 1.0, 1.0, 1.0], 2)
    assert {0, 1} not in [set(s) & {0, 1} for s in slices]
    assert [len(s) for s in slices] == [3, 3]
