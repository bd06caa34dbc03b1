"""Issue 13: a numeric setting out of range in any section is an error for every command that
loads the definition (here `run --dry-run`, which reads none of these sections), with the file
and the key path, as nox and pre-commit refuse a broken file whatever they are asked to do."""

from __future__ import annotations

import pytest

from tests.conftest import GitRepo
from tests.fuzz.contract import rejected, shipyard


@pytest.mark.parametrize(
    ("section", "where"),
    [
        ('[bench.x]\nrun = "true"\nruns = 0', "bench.x.runs: expected an integer >= 1, got 0"),
        ("[scan.secrets]\nmax-file-size = -5", "scan.secrets.max-file-size"),
        ("[metrics]\nsuccess-rate = 200", "metrics.success-rate: expected a number from 0 to 100"),
        ("[metrics]\ncoverage = inf", "metrics.coverage: expected a finite number"),
        # a key of several types (a percentage or false): the gates' own reader, at load too
        (
            "[gates.coverage]\nlines = 200",
            "gates.coverage.lines: expected a percentage from 0 to 100, or false, got 200",
        ),
    ],
)
def test_out_of_range_number_fails_every_command(repo: GitRepo, section: str, where: str) -> None:
    repo.write("shipyard.toml", f'[stages.a]\nrun = "true"\n\n{section}\n')
    rejected(shipyard(repo.path, "run", "--dry-run"), repo.path / "shipyard.toml", where)


def test_valid_numbers_still_pass(repo: GitRepo) -> None:
    repo.write(
        "shipyard.toml",
        '[stages.a]\nrun = "true"\n\n[bench.x]\nrun = "true"\nruns = 3\n\n'
        "[metrics]\nsuccess-rate = 90\n",
    )
    assert shipyard(repo.path, "run", "--dry-run").code == 0


def test_a_bad_threshold_stops_the_run_before_any_stage(repo: GitRepo) -> None:
    """It was found after the stages ran (exit 1, the run recorded as failed)."""
    repo.write("shipyard.toml", '[stages.a]\nrun = "touch ran"\n\n[gates.tests]\ntime = "-3m"\n')
    rejected(shipyard(repo.path, "run"), repo.path / "shipyard.toml", "gates.tests.time")
    assert not (repo.path / "ran").exists()
