"""shipyard.api in-process, as a script would call it: typed results, errors as exceptions."""

from __future__ import annotations

import pytest

from shipyard import api
from shipyard.errors import ConfigError, UsageError
from shipyard.gates.interface import GateStatus
from shipyard.pipeline import history
from shipyard.store import Store
from tests.conftest import GitRepo

JUNIT = '<testsuite tests="1" failures="0"><testcase name="t" time="0.1"/></testsuite>'
DEFINITION = f"""\
[stages.unit]
run = '''printf '{JUNIT}' > junit.xml'''
reports = {{ junit = "junit.xml" }}

[gates.tests]
failures = 0
"""


@pytest.mark.slow
def test_the_library_runs_judges_decides_and_scans(repo: GitRepo) -> None:
    repo.write("shipyard.toml", DEFINITION)
    repo.write(".gitignore", "junit.xml\n.shipyard/\n")
    repo.commit("feat: a first feature", "shipyard.toml", ".gitignore")
    assert sorted(api.load(repo.path).stages) == ["unit"]

    run = api.run(repo.path)
    assert run.ok and run.gates_passed and [s.name for s in run.stages] == ["unit"]
    assert history.list_runs(Store(repo.path), 5)[0]["id"] == run.id  # recorded like the CLI's

    gates = api.evaluate_gates(repo.path)
    judged = {r.gate: r for r in gates.results}
    assert gates.passed and judged["tests.failures"].status is GateStatus.PASSED
    assert judged["tests.failures"].actual == 0

    decision = api.decide_version(repo.path)
    assert decision.next.release and decision.tag == f"v{decision.version}"

    history_ = api.gate_history(repo.path, 5)
    assert history_[0]["passed"] and len(history_) == 2  # the run's evaluation and this one

    versions = api.decide_versions(repo.path)
    assert versions.packages is None and versions.decision == decision
    with pytest.raises(UsageError, match=r"--package web: .* is not a monorepo"):
        api.decide_versions(repo.path, package="web")

    scanned = api.scan(repo.path, ["secrets"])
    assert scanned.passed and [r.scanner for r in scanned.results] == ["secrets"]
    staged = api.scan(repo.path, ["secrets"], api.ScanOptions(mode="staged"))
    assert staged.passed and staged.settings.baseline.name == ".secrets-baseline.tsv"
    with pytest.raises(UsageError, match="no scanner named 'secret'"):
        api.scan(repo.path, ["secret"])

    repo.write("shipyard.toml", '[stages.unit]\nrun = "true"\nneeds = ["nope"]\n')
    with pytest.raises(ConfigError, match=r"stages\.unit\.needs: names no stage: 'nope'"):
        api.load(repo.path)
