"""The benchmark dashboard (`bench history --html`) as a reader sees it, in real headless
Chromium (tests/bench/browser.cjs): commit labels that do not overlap, a y-range not scaled
to an outlier, every verdict marked, the change point drawn, a small-range series shown as
relative change, nothing fetched from outside the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shipyard.bench.interface import Direction, Series
from shipyard.bench.results import Run, write
from tests.chromium import open_page
from tests.conftest import GitRepo, run_cli

BROWSER = Path(__file__).with_name("browser.cjs")
ENV = {"SHIPYARD_BENCH_MACHINE": "testbox"}
RUNS, STEP, MIB = 40, 25, 2**20


def _history(repo: GitRepo) -> list[str]:
    """40 base-branch runs of two series: `start` (a +30 % step at run 25, flagged fail there,
    a warn at run 10, an improvement at 33, one ×9 outlier sample at run 5) and `rss` (a
    0.4 MiB wobble on 400 MiB)."""
    repo.write("shipyard.toml", '[bench.start]\ncommand = "true"\n')
    commits = [repo.commit("init")]
    commits += [repo.commit(f"c{i}", allow_empty=True) for i in range(1, RUNS)]
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    statuses = {10: "warn", STEP: "fail", 33: "improved"}
    for i, sha in enumerate(commits):
        level = 0.1 * (1.3 if i >= STEP else 1.0)
        start = [level * (1 + 0.01 * ((i * 7 + k * 3) % 5 - 2)) for k in range(5)]
        if i == 5:
            start[2] = 0.9
        rss = tuple(400 * MIB + ((i + k) % 4) * 0.1 * MIB for k in range(3))
        run = Run(
            sha,
            "main",
            when.isoformat(),
            "testbox",
            (
                Series("start", "wall", "s", Direction.SMALLER, tuple(start)),
                Series("start", "peak_rss", "B", Direction.SMALLER, rss),
            ),
            {"start": statuses.get(i, "ok")},
            base=True,
        )
        write(repo.path / ".bench", run, when + dt.timedelta(minutes=i))
    return commits


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box: list[float], frame: list[float]) -> bool:
    return (
        box[0] >= frame[0] - 1
        and box[1] >= frame[1] - 1
        and box[2] <= frame[2] + 1
        and (box[3] <= frame[3] + 1)
    )


@pytest.mark.slow
def test_dashboard_reads_right_in_headless_chromium(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    commits = _history(repo)
    page = tmp_path / "bench.html"
    result = run_cli("bench", "history", "--html", str(page), cwd=repo.path, env=ENV)
    assert result.returncode == 0, result.stderr
    shot = tmp_path / "bench.png"
    found = open_page(BROWSER, page, shot)
    with capsys.disabled():
        print(f"\nscreenshot of the benchmark dashboard: {shot}")
    assert found["console"] == [] and found["requests"] == []
    charts = {c["title"]: c for c in found["charts"]}
    assert set(charts) == {"start", "start:peak_rss"}, list(charts)
    for chart in charts.values():
        labels = chart["commits"]
        assert 6 <= len(labels) <= 9
        assert labels[0]["text"] == commits[0][:8] and labels[-1]["text"] == commits[-1][:8]
        every = [*labels, *chart["ticks"], *chart["notes"], *chart["changes"]]
        assert all(_inside(t["box"], chart["svg"]) for t in every), "text drawn off the chart"
        pairs = [(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :]]
        assert not any(_overlap(a["box"], b["box"]) for a, b in pairs), "commit labels overlap"
        ticks = [t["box"] for t in chart["ticks"]]
        assert not any(_overlap(a, b) for i, a in enumerate(ticks) for b in ticks[i + 1 :])
        assert chart["lines"] == 1
    start = charts["start"]
    assert start["samples"] + len(start["outliers"]) == RUNS * 5
    assert len(start["outliers"]) == 1 and _inside(start["outliers"][0], start["svg"])
    assert [t["text"] for t in start["notes"]] == [
        "1 outlier sample beyond the axis (red, up to 900 ms)"
    ]
    top = start["ticks"][-1]["text"]  # robust range: the axis ends near the +30 % level
    assert top.endswith("ms") and float(top.split()[0]) < 200, top
    assert sorted(start["marks"]) == sorted(
        [
            f"{commits[10][:10]}: ⚠ warn",
            f"{commits[STEP][:10]}: ✖ fail",
            f"{commits[33][:10]}: ▲ improved",
        ]
    )
    assert start["legend"] == "● warn · ● fail · ● improved · ┆ change point"
    assert start["change_lines"] >= 1
    assert any(t["text"].startswith(f"{commits[STEP][:8]} +3") for t in start["changes"])
    rss = charts["start:peak_rss"]
    assert [t["text"] for t in rss["notes"]] == ["change from the median 400 MiB"]
    assert all(t["text"].endswith("%") for t in rss["ticks"]) and rss["marks"] == []
    assert rss["legend"] == ""
    assert shot.stat().st_size > 10_000
