"""`shipyard report --html` end to end: a project with runs, gates, benchmarks, releases and
an advisory, rendered and opened in real headless Chromium (tests/metrics/browser.cjs)."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from shipyard.bench.interface import Direction, Series
from shipyard.bench.results import Run, write
from shipyard.gates.history import record
from shipyard.gates.interface import GateResult, GateStatus
from shipyard.store import Store
from tests.chromium import open_page
from tests.conftest import GitRepo, run_cli
from tests.metrics import osv_records
from tests.metrics.test_dora import dated_commit

BROWSER = Path(__file__).with_name("browser.cjs")
ENV = {"SHIPYARD_BENCH_MACHINE": "testbox"}
DAY = 86400.0
STAGES = '[stages.check]\nrun = "test -f ok.txt"\n[bench.start]\ncommand = "true"\n'


def _project(repo: GitRepo) -> list[str]:
    """Three releases, three pipeline runs (one failed), three gate evaluations, twelve
    benchmark runs with a +30 % step at the ninth, and one critical advisory."""
    now = time.time()
    repo.write("shipyard.toml", STAGES)
    repo.write("requirements.txt", "pyyaml==3.13\n")
    for i, when in enumerate((now - 9 * DAY, now - 5 * DAY, now - 2 * DAY)):
        dated_commit(repo, f"feat: change {i}", when - 3600)
        dated_commit(repo, f"chore(release): 1.{i}.0", when, f"v1.{i}.0")
    assert run_cli("run", cwd=repo.path).returncode == 1
    repo.write("ok.txt", "")
    for _ in range(2):
        assert run_cli("run", cwd=repo.path).returncode == 0
    store = Store(repo.path)
    for cov, warnings in ((78.0, 12.0), (81.5, 9.0), (83.0, 7.0)):
        results = [
            GateResult("coverage.lines", ">=", 80.0, cov, "%", GateStatus.PASSED),
            GateResult("lint.warnings", "<=", None, warnings, "count", GateStatus.PASSED),
        ]
        record(store, results, run_id=None, commit=None, branch="main", base="main", passed=True)
    commits = [repo.commit(f"c{i}", allow_empty=True) for i in range(20)]
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    for i, sha in enumerate(commits):
        level = 0.1 * (1.3 if i >= 12 else 1.0)
        samples = tuple(level * (1 + 0.01 * ((i * 7 + k * 3) % 5 - 2)) for k in range(5))
        run = Run(
            sha,
            "main",
            start.isoformat(),
            "testbox",
            (Series("start", "wall", "s", Direction.SMALLER, samples),),
        )
        write(repo.path / ".bench", run, start + dt.timedelta(minutes=i))
    osv_records.write(repo.path / ".shipyard" / "osv", osv_records.pyyaml_2018())
    return commits


@pytest.mark.slow
def test_report_writes_one_offline_page_with_every_chart(repo: GitRepo) -> None:
    commits = _project(repo)
    r = run_cli("report", "--html", "-o", "site/index.html", "--json", cwd=repo.path, env=ENV)
    assert r.returncode == 2 and "the folder" in r.stderr  # site/ does not exist yet
    (repo.path / "site").mkdir()
    r = run_cli("report", "--html", "-o", "site/index.html", "--json", cwd=repo.path, env=ENV)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["charts"] == {
        "pipeline-duration": 3,
        "pipeline-success": 1,  # the three runs were all today
        "coverage.lines": 3,
        "lint.warnings": 3,
        "bench-start": 20,
    }
    page = (repo.path / "site" / "index.html").read_text()
    assert "http://" not in page and "https://" not in page  # nothing to fetch
    assert f"{commits[12][:10]} +3" in page  # the change point names the commit that caused it
    assert "PYSEC-2018-49" in page


def test_report_without_history_says_what_is_missing(repo: GitRepo) -> None:
    repo.write("shipyard.toml", '[stages.a]\nrun = "true"\n')
    repo.commit("init")
    r = run_cli("report", "--html", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert "note: no pipeline run recorded in the last 30 days" in r.stdout
    assert "note: no coverage recorded by `shipyard gate`" in r.stdout
    page = (repo.path / ".shipyard/reports/shipyard-report.html").read_text()
    assert not (repo.path / "shipyard-report.html").exists()  # nothing dropped in the root
    assert (
        "Missing or stale data" in page
        and "Pipeline duration per run: no data recorded yet." in page
    )
    assert "No gate history recorded." in page and "No benchmark history." in page
    assert run_cli("report", cwd=repo.path).returncode == 2  # --html is the one format


@pytest.mark.slow
def test_report_renders_in_headless_chromium(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(repo)
    html = tmp_path / "report.html"
    r = run_cli("report", "--html", "-o", str(html), cwd=repo.path, env=ENV)
    assert r.returncode == 0, r.stderr
    shot = tmp_path / "report.png"
    found = open_page(BROWSER, html, shot)
    with capsys.disabled():
        print(f"\nscreenshot of the report: {shot}")
    assert found["console"] == [] and found["requests"] == []
    charts = {c["id"]: c for c in found["charts"]}
    assert {k: c["points"] for k, c in charts.items()} == {
        "pipeline-duration": 3,
        "pipeline-success": 1,
        "coverage.lines": 3,
        "lint.warnings": 3,
        "bench-start": 20,
    }
    assert all(c["points"] == c["declared"] and c["width"] > 500 for c in charts.values())
    assert charts["bench-start"]["changes"] == 1 and charts["pipeline-success"]["lines"] == 0
    kpis = {row[0]: row for row in found["kpis"]}
    assert kpis["Test coverage (lines)"][1:4] == [">= 80.0%", "83.0%", "-"]
    assert kpis["Security vulnerabilities (critical)"][2] == "1"
    assert kpis["Change failure rate"][2] == "0.0%"
    assert found["vulnerabilities"] == 1
    assert found["level"] == "medium"  # 3 releases in 30 days: less than weekly
    assert found["keyboard"]["first"].startswith("run 1 · ")
    assert found["keyboard"]["label"].startswith("run 2 · ")
    assert found["keyboard"]["readout"] == found["keyboard"]["label"]
    assert found["light"] != found["dark"]
    assert shot.stat().st_size > 10_000
