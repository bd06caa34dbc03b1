"""DORA maths on plain data, then `shipyard metrics` on a real history of dated commits and tags."""

from __future__ import annotations

import json
import os
import subprocess
import time

from shipyard.metrics.dora import DAY, Deployment, bands, compute, level
from tests.conftest import GitRepo, run_cli

T0 = 1_750_000_000.0
RECENT = float(int(time.time() - 10 * DAY))  # inside the default 30-day period


def test_compute_on_plain_data() -> None:
    deps = [
        Deployment("v1.0.0", T0, [T0 - 2 * 3600, T0 - 4 * 3600]),
        Deployment("v1.1.0", T0 + DAY, [T0 + DAY - 3600]),
        Deployment("v1.1.1", T0 + DAY + 1800, [T0 + DAY + 600], hotfix=True),
        Deployment("v1.2.0", T0 + 3 * DAY, [T0 + 2 * DAY], rolled_back=True),
    ]
    d = compute(deps, now=T0 + 7 * DAY)
    assert d.deployments == 4
    assert d.per_week == 4.0
    assert d.lead_time == 2 * 3600  # median of 20min, 1h, 2h, 4h and 1 day
    assert d.failed == ["v1.1.0", "v1.2.0"]
    assert d.change_failure_rate == 0.5
    assert d.time_to_restore == 1800  # v1.2.0 has no next deployment yet
    assert bands(d) == {
        "deployment_frequency": "high",
        "lead_time": "elite",
        "change_failure_rate": "low",
        "time_to_restore": "elite",
    }
    assert level(d) == "low"  # the weakest of the four


def test_level_uses_all_four_metrics() -> None:
    # daily deploys, one-hour lead times: elite on speed; one release in four failed
    deps = [
        Deployment(f"v1.{i}.0", T0 + i * DAY / 2, [T0 + i * DAY / 2 - 3600], rolled_back=i == 2)
        for i in range(8)
    ]
    d = compute(deps, now=T0 + 4 * DAY)
    assert d.change_failure_rate == 0.125 and bands(d)["change_failure_rate"] == "medium"
    assert level(d) == "medium"
    quarter = [
        Deployment(f"v2.{i}.0", T0 + i * 3600, [T0], rolled_back=i % 4 == 0) for i in range(8)
    ]
    assert compute(quarter, now=T0 + DAY).change_failure_rate == 0.25
    assert level(compute(quarter, now=T0 + DAY)) == "low"  # not elite at 25 %
    clean = [Deployment(f"v3.{i}.0", T0 + i * 3600, [T0]) for i in range(8)]
    assert bands(compute(clean, now=T0 + DAY))["time_to_restore"] is None  # nothing to restore
    assert level(compute(clean, now=T0 + DAY)) == "elite"


def test_period_counts_only_its_deployments() -> None:
    deps = [
        Deployment("v1.0.0", T0, [T0 - 3600]),
        Deployment("v1.1.0", T0 + 10 * DAY, [T0 + 9 * DAY]),
        Deployment("v1.1.1", T0 + 10 * DAY + 600, [T0 + 10 * DAY + 300], hotfix=True),
    ]
    d = compute(deps, now=T0 + 14 * DAY, since=T0 + 7 * DAY)
    assert (d.deployments, d.per_week, d.failed) == (2, 2.0, ["v1.1.0"])
    empty = compute(deps, now=T0 + 7 * DAY - 1, since=T0 + 1)
    assert (empty.deployments, empty.per_week, empty.change_failure_rate) == (0, 0.0, None)


def test_no_deployments() -> None:
    d = compute([], now=T0)
    assert (d.deployments, d.per_week, d.lead_time) == (0, None, None)
    assert level(d) == "unknown"


def dated_commit(repo: GitRepo, message: str, when: float, tag: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"@{int(when)} +0000",
        "GIT_COMMITTER_DATE": f"@{int(when)} +0000",
    }
    repo.write("f.txt", message)
    subprocess.run(["git", "add", "-A"], cwd=repo.path, check=True)
    subprocess.run(["git", "commit", "-qm", message], cwd=repo.path, check=True, env=env)
    if tag:
        subprocess.run(["git", "tag", "-a", tag, "-m", tag], cwd=repo.path, check=True, env=env)


def test_metrics_from_real_tags(repo: GitRepo) -> None:
    t = RECENT
    dated_commit(repo, "feat: one", t - 3600)
    dated_commit(repo, "chore(release): 1.0.0", t, "v1.0.0")
    dated_commit(repo, "feat: two", t + DAY)
    dated_commit(repo, "chore(release): 1.1.0", t + DAY + 3600, "v1.1.0")
    dated_commit(repo, "fix: oops", t + DAY + 4000)
    dated_commit(repo, "fix: oops again", t + DAY + 5000, "v1.1.1")  # a hotfix: v1.1.0 failed
    dated_commit(repo, "feat: pre", t + 2 * DAY, "v1.2.0-rc.1")  # pre-releases do not deploy
    r = run_cli("metrics", "--json", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["dora"]["deployments"] == 3
    assert data["dora"]["failed"] == ["v1.1.0"]
    assert data["dora"]["time_to_restore"] == 1400
    assert data["level"] == "low"  # one failure in three releases
    kpis = {k["key"]: k for k in data["kpis"]}
    assert kpis["change_failure_rate"]["ok"] is False
    assert kpis["change_failure_rate"]["current"] == 1 / 3  # a number, not "33.3%"
    assert kpis["deployment_frequency"]["current"] == 3 / (30 / 7)
    assert kpis["pipeline_duration"]["current"] is None
    assert "no pipeline run recorded in the last 30 days" in data["notes"]
    assert run_cli("metrics", "--check", cwd=repo.path).returncode == 1
    older = json.loads(run_cli("metrics", "--json", "--days", "6", cwd=repo.path).stdout)
    assert older["dora"]["deployments"] == 0
    assert older["previous_dora"]["deployments"] == 3
    assert {k["key"]: k["trend"] for k in older["kpis"]}["deployment_frequency"] == "down"


def test_metrics_reads_pipeline_runs_and_targets(repo: GitRepo) -> None:
    repo.write("shipyard.toml", '[stages.a]\nrun = "true"\n[metrics]\npipeline-duration = "1ms"\n')
    repo.commit("init")
    run_cli("run", cwd=repo.path)
    r = run_cli("metrics", cwd=repo.path)
    lines = r.stdout.splitlines()
    row = next(ln for ln in lines if ln.startswith("Build success rate"))
    assert row.split()[-4:] == ["100.0%", "-", "·", "ok"]
    assert any(
        ln.startswith("Pipeline duration (median)") and ln.endswith("MISSED") for ln in lines
    )
    repo.write("shipyard.toml", '[stages.a]\nrun = "true"\n[metrics]\nlead-time = "soon"\n')
    bad = run_cli("metrics", cwd=repo.path)
    assert bad.returncode == 2 and "metrics.lead-time: expected a duration" in bad.stderr


def test_a_rolled_back_release_counts_as_failed(repo: GitRepo) -> None:
    from shipyard.release.records import record_rollback
    from shipyard.store import Store

    dated_commit(repo, "feat: one", RECENT - 3600, "v1.0.0")
    dated_commit(repo, "feat: two", RECENT, "v1.1.0")
    dated_commit(repo, "feat: three", RECENT + DAY, "v1.2.0")
    record_rollback(Store(repo.path), "npm", "demo", "1.1.0", "1.0.0", "latest", "done")
    data = json.loads(run_cli("metrics", "--json", cwd=repo.path).stdout)
    assert data["dora"]["failed"] == ["v1.1.0"]
    assert data["dora"]["time_to_restore"] == DAY


def test_metrics_reads_tags_through_the_release_tag_format(repo: GitRepo) -> None:
    """Bare-number tags count with no tag-format set; a configured tag-format is honoured."""
    dated_commit(repo, "feat: one", RECENT, "8.4.1")
    dated_commit(repo, "fix: two", RECENT + DAY, "8.4.2")
    dated_commit(repo, "feat: three", RECENT + 2 * DAY, "8.5")  # floating, not a release
    data = json.loads(run_cli("metrics", "--json", cwd=repo.path).stdout)
    assert (data["dora"]["deployments"], data["dora"]["failed"]) == (2, ["8.4.1"])
    repo.write("shipyard.toml", '[release]\ntag-format = "lib-v{version}"\n')
    dated_commit(repo, "feat: four", RECENT + 3 * DAY, "lib-v9.0.0")
    data = json.loads(run_cli("metrics", "--json", cwd=repo.path).stdout)
    assert data["dora"]["deployments"] == 1
