"""The monitor sources against local stand-ins: npm's downloads API, pypistats, GitHub's
issues API, an npm registry's package document, and a local OSV database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GitRepo, run_cli
from tests.metrics import osv_records
from tests.monitor.servers import Routes, http_server

STAGES = '[stages.a]\nrun = "true"\n'


def monitor(repo: GitRepo, only: str, env: dict[str, str] | None = None) -> tuple[int, Any]:
    r = run_cli("monitor", "--only", only, "--json", cwd=repo.path, env=env)
    assert r.returncode in (0, 1), r.stderr
    return r.returncode, json.loads(r.stdout)


def days(count: int, end_days_ago: int = 1) -> list[str]:
    end = dt.date.today() - dt.timedelta(days=end_days_ago)
    return [(end - dt.timedelta(days=count - 1 - i)).isoformat() for i in range(count)]


def npm_range(name: str, counts: list[int], end_days_ago: int = 1) -> dict[str, Any]:
    dates = days(len(counts), end_days_ago)
    return {
        "start": dates[0],
        "end": dates[-1],
        "package": name,
        "downloads": [{"downloads": n, "day": d} for d, n in zip(dates, counts, strict=True)],
    }


def test_npm_downloads_drop_stale_and_missing(repo: GitRepo) -> None:
    repo.write("package.json", '{"name": "@acme/web", "version": "1.0.0"}')
    app = Routes()
    path = "/downloads/range/last-month/@acme/web"
    with http_server(app) as base:
        repo.write("shipyard.toml", STAGES + f'[monitor.downloads]\nurl = "{base}"\n')
        app.routes[path] = (200, npm_range("@acme/web", [100] * 23 + [40] * 7), {})
        rc, out = monitor(repo, "downloads")
        assert rc == 0  # medium: reported, not failing
        assert [(a["severity"], a["title"]) for a in out["alerts"]] == [
            ("medium", "@acme/web downloads fell more than 30% in a week")
        ]
        assert out["alerts"][0]["body"] == (
            "@acme/web: 280 downloads in the last 7 days, 700 the 7 before"
        )
        assert app.requests[0].path == path

        app.routes[path] = (200, npm_range("@acme/web", [100] * 30), {})
        assert monitor(repo, "downloads")[1]["checks"][0]["ok"] is True

        app.routes[path] = (200, npm_range("@acme/web", [100] * 30, end_days_ago=9), {})
        check = monitor(repo, "downloads")[1]
        assert check["checks"][0]["detail"].startswith("stale: the newest figure is for ")
        assert check["alerts"][0]["severity"] == "low"

        del app.routes[path]
        check = monitor(repo, "downloads")[1]
        assert check["checks"][0]["detail"] == f"data missing: HTTP 404 from {base}"
        assert check["alerts"][0]["title"] == "download figures of @acme/web missing"


def test_pypistats_counts_downloads_without_mirrors(repo: GitRepo) -> None:
    repo.write("pyproject.toml", '[project]\nname = "Demo_Pkg"\nversion = "1.0.0"\n')
    dates = days(14)
    rows = [{"category": "without_mirrors", "date": d, "downloads": 50} for d in dates]
    rows += [{"category": "with_mirrors", "date": d, "downloads": 900} for d in dates]
    app = Routes({"/packages/demo_pkg/overall?mirrors=false": (200, {"data": rows}, {})})
    with http_server(app) as base:
        repo.write("shipyard.toml", STAGES + f'[monitor.downloads]\nurl = "{base}"\n')
        rc, out = monitor(repo, "downloads")
    assert rc == 0 and out["alerts"] == []
    assert (
        out["checks"][0]["detail"] == "Demo_Pkg: 350 downloads in the last 7 days, 350 the 7 before"
    )


def test_downloads_from_a_local_synced_file(repo: GitRepo) -> None:
    repo.write("stats/web.json", json.dumps(npm_range("web", [10] * 10)))
    repo.write(
        "shipyard.toml",
        STAGES
        + '[monitor.downloads]\necosystem = "npm"\npackage = "web"\nurl = "stats/web.json"\n',
    )
    rc, out = monitor(repo, "downloads")
    assert (rc, out["checks"][0]["detail"]) == (0, "web: 10 days of data, need 14")
    repo.write("shipyard.toml", STAGES + '[monitor.downloads]\necosystem = "cargo"\n')
    bad = run_cli("monitor", cwd=repo.path)
    assert (
        bad.returncode == 2
        and "monitor.downloads.ecosystem: expected one of npm, pypi" in bad.stderr
    )


def _issue(number: int, hours_ago: float, pull: bool = False) -> dict[str, Any]:
    when = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)
    item: dict[str, Any] = {"number": number, "created_at": when.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if pull:
        item["pull_request"] = {"url": f"https://api.github.com/repos/acme/tool/pulls/{number}"}
    return item


def test_issue_rate_alert_across_pages(repo: GitRepo) -> None:
    recent = [_issue(i, hours_ago=i + 1) for i in range(8)]  # 8 in the last 24 hours
    older = [_issue(100 + d, hours_ago=24 * d + 5) for d in range(2, 14)]  # one a day before
    pulls = [_issue(200 + i, hours_ago=2, pull=True) for i in range(20)]
    app = Routes()
    with http_server(app) as base:
        repo.write(
            "shipyard.toml", STAGES + f'[monitor.issues]\nrepo = "acme/tool"\napi = "{base}"\n'
        )

        def answer(rec: Any) -> tuple[int, Any, dict[str, str]]:
            if rec.path.startswith("/repos/acme/tool/issues?") and "page=2" in rec.path:
                return 200, older, {}
            if rec.path.startswith("/repos/acme/tool/issues?"):
                link = f'<{base}/repos/acme/tool/issues?state=all&page=2>; rel="next"'
                return 200, recent + pulls, {"Link": link}
            return 404, {"message": "Not Found"}, {}

        app.answer = answer  # type: ignore[method-assign]
        rc, out = monitor(repo, "issues", env={"GITHUB_TOKEN": "gh-token-secret"})
    assert rc == 1
    assert out["alerts"][0]["title"] == "acme/tool: issues opened at more than 3x the usual rate"
    assert out["checks"][0]["detail"] == (
        "8 issues opened in the last 24h; 0.9/day over the 13 days before"
    )
    first = app.requests[0]
    assert "state=all" in first.path and "since=" in first.path and "per_page=100" in first.path
    assert first.headers["authorization"] == "Bearer gh-token-secret"
    assert first.headers["accept"] == "application/vnd.github+json"
    assert len(app.requests) == 2  # the second page, then no next link


@pytest.mark.slow
def test_advisories_watch_the_released_tree(repo: GitRepo) -> None:
    repo.write("shipyard.toml", STAGES + "[monitor.advisories]\n")
    repo.write("requirements.txt", "pyyaml==3.13\n")
    repo.commit("release")
    repo.tag("v1.0.0")
    repo.write("requirements.txt", "pyyaml==6.0.2\n")  # fixed on main, not yet released
    repo.commit("bump pyyaml")
    db = repo.path / ".shipyard" / "osv"
    rc, out = monitor(repo, "advisories")
    assert rc == 1
    assert out["checks"][0]["detail"].startswith("data missing: no advisory database at ")
    assert out["alerts"][0]["title"] == "advisory database missing"
    osv_records.write(db, osv_records.pyyaml_2018())
    rc, out = monitor(repo, "advisories")
    assert rc == 1
    assert [(a["severity"], a["title"]) for a in out["alerts"]] == [
        ("critical", "PYSEC-2018-49 affects pyyaml 3.13 in v1.0.0")
    ]
    assert "fixed in 4.1" in out["alerts"][0]["body"]
    unrated = {**osv_records.recent("pyyaml", "5.4", days_ago=1, ident="TEST-2026-9")}
    del unrated["severity"]  # no severity given: counted as [scan.deps] unknown-severity (high)
    osv_records.write(db, unrated)
    alerts = {a["title"]: a["severity"] for a in monitor(repo, "advisories")[1]["alerts"]}
    assert alerts["TEST-2026-9 affects pyyaml 3.13 in v1.0.0"] == "critical"
    (db / "TEST-2026-9.json").unlink()
    osv_records.write(db, osv_records.pyyaml_2018(modified_days_ago=30))  # a stale copy
    out = monitor(repo, "advisories")[1]
    assert out["alerts"][-1]["title"] == "advisory database stale"
    assert "30.0 days old" in out["alerts"][-1]["body"]


def test_npm_dist_tag_latest_must_be_the_newest_stable(repo: GitRepo) -> None:
    repo.write("package.json", '{"name": "web", "version": "1.1.0"}')
    doc = {
        "name": "web",
        "dist-tags": {"latest": "2.0.0-rc.1", "next": "2.0.0-rc.1"},
        "versions": {v: {} for v in ("1.0.0", "1.1.0", "2.0.0-rc.1")},
    }
    app = Routes({"/web": (200, doc, {})})
    with http_server(app) as base:
        repo.write("shipyard.toml", STAGES + f'[monitor.registry]\nurl = "{base}"\n')
        rc, out = monitor(repo, "registry")
        assert rc == 1
        assert [(a["severity"], a["title"]) for a in out["alerts"]] == [
            ("high", "web: latest is not the newest stable"),
            ("medium", "web: latest is 2.0.0-rc.1, not 1.1.0"),
        ]
        doc["dist-tags"] = {"latest": "1.1.0", "next": "2.0.0-rc.1"}
        rc, out = monitor(repo, "registry")
        assert (rc, out["checks"][0]["detail"]) == (0, "web latest=1.1.0, next=2.0.0-rc.1")


def test_every_source_is_documented() -> None:
    from shipyard.monitor.sources import SOURCES

    doc = (Path(__file__).parents[2] / "docs" / "monitoring.md").read_text()
    assert all(f"`[monitor.{name}]`" in doc or f"`{name}`" in doc for name in SOURCES)


def test_issues_from_a_local_synced_file_and_when_it_is_missing(repo: GitRepo) -> None:
    issues = [_issue(i, hours_ago=30 + 24 * i) for i in range(10)] + [_issue(99, 1, pull=True)]
    repo.write("synced/issues.json", json.dumps(issues))
    repo.write(
        "shipyard.toml",
        STAGES + '[monitor.issues]\nrepo = "acme/tool"\napi = "synced/issues.json"\n',
    )
    rc, out = monitor(repo, "issues")
    assert (rc, out["checks"][0]["detail"]) == (
        0,
        "0 issues opened in the last 24h; 0.8/day over the 13 days before",
    )
    (repo.path / "synced/issues.json").unlink()
    rc, out = monitor(repo, "issues")
    assert rc == 0  # medium
    assert out["checks"][0]["detail"].startswith("data missing: cannot read ")
    assert out["alerts"][0]["title"] == "issue figures of acme/tool missing"


@pytest.mark.parametrize(
    ("ecosystem", "doc"),
    [
        ("pypi", {"data": [1, "x"]}),  # rows that are not objects
        ("npm", {"downloads": [["2026-01-01", 3]]}),
        ("npm", {"downloads": [{"day": "2026-01-01", "downloads": 1e400}]}),  # inf
        ("pypi", []),
    ],
)
def test_downloads_answers_of_the_wrong_shape_are_missing_data(
    repo: GitRepo, ecosystem: str, doc: Any
) -> None:
    repo.write("stats/x.json", json.dumps(doc).replace("Infinity", "1e400"))
    repo.write(
        "shipyard.toml",
        STAGES
        + f'[monitor.downloads]\necosystem = "{ecosystem}"\npackage = "x"\nurl = "stats/x.json"\n',
    )
    _rc, out = monitor(repo, "downloads")
    check = out["checks"][0]
    assert check["ok"] is False and "missing" in json.dumps(check), out
