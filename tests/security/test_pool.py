"""The secret-scan pool size, chosen from the work and the machine (security/parallel.py)."""

from __future__ import annotations

from shipyard.security.parallel import PARALLEL_FROM, pool_size


def test_pool_size_follows_the_work_and_the_idle_cpus() -> None:
    small, big = PARALLEL_FROM - 1, PARALLEL_FROM * 50
    assert pool_size(0, small, cpus=8, load=0.0) == 1  # a pre-commit's few files: no pool
    assert pool_size(8, small, cpus=8, load=0.0) == 1  # not even when asked
    assert pool_size(0, big, cpus=8, load=1.0) == 8  # idle machine: one per CPU
    assert pool_size(0, PARALLEL_FROM * 3, cpus=8, load=1.0) == 3  # one per PARALLEL_FROM
    assert pool_size(0, big, cpus=2, load=1.0) == 2  # only this process runs
    assert pool_size(0, big, cpus=2, load=2.6) == 1  # a loaded 2-core machine: no pool
    assert pool_size(0, big, cpus=8, load=5.0) == 4  # what the others leave idle
    assert pool_size(3, big, cpus=2, load=9.0) == 3  # --jobs is taken as asked
