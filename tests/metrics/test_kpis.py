"""The KPI table's coverage and vulnerability rows, with trends against the previous period:
real gate history in the store, real lockfiles against a local OSV database."""

from __future__ import annotations

import json
import time

from shipyard.gates.history import record
from shipyard.gates.interface import GateResult, GateStatus
from shipyard.metrics.kpi import Kpi, arrow
from shipyard.store import Store
from tests.conftest import GitRepo, run_cli
from tests.metrics import osv_records

DAY = 86400.0


def test_trend_and_direction_on_plain_data() -> None:
    up = Kpi("coverage", "c", "percent", ">=", 80.0, 85.0, 70.0)
    assert (up.trend, up.improving, up.ok, arrow(up)) == ("up", True, True, "↑")
    slower = Kpi("pipeline_duration", "d", "seconds", "<", 600.0, 700.0, 500.0)
    assert (slower.trend, slower.improving, slower.ok) == ("up", False, False)
    flat = Kpi("success_rate", "s", "ratio", ">", 0.95, 0.96, 0.9599)
    assert (flat.trend, flat.improving) == ("flat", None)
    unknown = Kpi("lead_time", "l", "seconds", "<", DAY, None, 3600.0)
    assert (unknown.trend, unknown.ok, arrow(unknown)) == (None, None, "·")
    assert json.loads(json.dumps(up.serialize()))["current"] == 85.0


def _coverage(store: Store, value: float, age_days: float = 0.0) -> None:
    gate = GateResult("coverage.lines", ">=", 80.0, value, "%", GateStatus.PASSED)
    evaluation = record(
        store, [gate], run_id=None, commit=None, branch="main", base="main", passed=True
    )
    with store.transaction() as tx:  # recorded earlier: move its clock back
        tx.execute(
            "UPDATE gate_evaluations SET created = ? WHERE id = ?",
            (time.time() - age_days * DAY, evaluation),
        )


def test_coverage_and_vulnerability_kpis_with_trends(repo: GitRepo) -> None:
    repo.write("requirements.txt", "pyyaml==3.13\nrequests==2.19.0\n")
    repo.commit("init")
    store = Store(repo.path)
    _coverage(store, 72.5, age_days=40)
    _coverage(store, 84.0)
    osv_records.write(
        repo.path / ".shipyard" / "osv",
        osv_records.pyyaml_2018(),
        osv_records.recent("requests", "2.20.0", days_ago=5),
    )
    r = run_cli("metrics", "--json", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    kpis = {k["key"]: k for k in json.loads(r.stdout)["kpis"]}
    cov = kpis["coverage"]
    assert (cov["current"], cov["previous"], cov["trend"], cov["improving"], cov["ok"]) == (
        84.0,
        72.5,
        "up",
        True,
        True,
    )
    vul = kpis["critical_vulnerabilities"]
    assert (vul["current"], vul["previous"], vul["trend"], vul["ok"]) == (2.0, 1.0, "up", False)
    assert vul["improving"] is False and vul["target"] == 0.0
    text = run_cli("metrics", cwd=repo.path).stdout
    row = next(ln for ln in text.splitlines() if ln.startswith("Security vulnerabilities"))
    assert row.split()[-4:] == ["2", "1", "↑", "MISSED"]


def test_missing_advisory_database_is_stated_not_zero(repo: GitRepo) -> None:
    repo.write("requirements.txt", "pyyaml==3.13\n")
    repo.commit("init")
    data = json.loads(run_cli("metrics", "--json", cwd=repo.path).stdout)
    vul = {k["key"]: k for k in data["kpis"]}["critical_vulnerabilities"]
    assert vul["current"] is None and vul["ok"] is None
    assert vul["note"].startswith("vulnerabilities not counted: no advisory database at ")
    assert "no coverage recorded by `shipyard gate`" in data["notes"]
