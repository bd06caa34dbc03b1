"""Rendering: value units, markdown for a PR comment, the offline dashboard."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from shipyard.bench import dashboard
from shipyard.bench import render as report
from shipyard.bench.changepoint import ChangePoint
from shipyard.bench.interface import BenchSpec, Direction, Series, Status
from shipyard.bench.runner import Context, Report, Verdict
from shipyard.bench.trend import Point, Trend, target_for, trends
from shipyard.bench.verdict import Comparison
from shipyard.git import Repo


@pytest.mark.parametrize(
    ("x", "unit", "text"),
    [
        (1.5, "s", "1.5 s"),
        (0.0123, "s", "12.3 ms"),
        (4.2e-5, "s", "42 µs"),
        (3e-9, "s", "3 ns"),
        (50 * 2**20, "B", "50 MiB"),
        (2.5 * 2**30, "B", "2.5 GiB"),
        (512, "B", "512 B"),
        (1234.5, "ops/s", "1234 ops/s"),
        (None, "s", "–"),
        (3.0, "", "3"),
    ],
)
def test_values_carry_their_unit(x: float | None, unit: str, text: str) -> None:
    assert report.value(x, unit) == text


def make_report() -> Report:
    ctx = Context(Repo(Path(".")), "0123456789abcdef", "feature", "main", False, "box", "main")
    wall = Series("start", "wall", "s", Direction.SMALLER, (0.3,))
    tput = Series("io", "value", "MB/s", Direction.BIGGER, (90.0,))
    return Report(
        ctx,
        [
            Verdict(
                BenchSpec("start"),
                wall,
                Comparison(Status.WARN, 0.3, 0.24, 1.25, 1.21, 1.29, 0.001, 10),
                target=0.2,
            ),
            Verdict(BenchSpec("io"), tput, Comparison(Status.IMPROVED, 90.0, 60.0, 1.5, 1.4, 1.6)),
            Verdict(BenchSpec("new"), wall, Comparison(Status.NEW, 0.3, note="no baseline")),
        ],
    )


def test_markdown_for_a_pull_request() -> None:
    assert report.markdown(make_report()) == (
        "### ❌ Benchmarks regressed\n\n"
        "0123456789 on feature, machine box: compared with the base branch main\n\n"
        "| benchmark | before | after | ratio [95% CI] | verdict |\n"
        "|---|---:|---:|---|---|\n"
        "| `start` | 240 ms | 300 ms | ×1.250 [1.210–1.290] | ❌ warn; target missed (> 200 ms) |\n"
        "| `io` | 60 MB/s | 90 MB/s | ×1.500 [1.400–1.600] | 🚀 improved |\n"
        "| `start` | – | 300 ms | – | 🆕 new; no baseline |\n"
    )


@pytest.mark.parametrize(
    ("statuses", "heading"),
    [
        ((Status.OK, Status.WARN, Status.IMPROVED), "### ⚠️ Benchmarks: warnings"),
        ((Status.OK, Status.IMPROVED, Status.NEW), "### 🚀 Benchmarks improved"),
        ((Status.OK, Status.NEW), "### ✅ Benchmarks"),
        ((Status.WARN, Status.FAIL), "### ❌ Benchmarks regressed"),
    ],
)
def test_the_heading_is_the_worst_row(statuses: tuple[Status, ...], heading: str) -> None:
    rep = make_report()
    rep.verdicts = [
        replace(v, target=None, comparison=replace(v.comparison, status=s))
        for v, s in zip(rep.verdicts, statuses, strict=False)
    ]
    assert report.markdown(rep).splitlines()[0] == heading


def test_history_warnings_head_the_comment() -> None:
    rep = make_report()
    rep.verdicts, rep.warnings = rep.verdicts[1:2], ["2 result file(s) record another machine"]
    lines = report.markdown(rep).splitlines()
    assert lines[0] == "### ⚠️ Benchmarks: warnings"
    assert lines[4:6] == ["> ⚠️ 2 result file(s) record another machine", ""]
    assert report.serialize(rep)["warnings"] == ["2 result file(s) record another machine"]


def test_json_report() -> None:
    data = report.serialize(make_report())
    assert data["failed"] is True and data["on_base"] is False
    first = data["benchmarks"][0]
    assert (first["status"], first["target_missed"], first["ci"]) == ("warn", True, [1.21, 1.29])


def test_bigger_is_better_target() -> None:
    tput = Series("io", "value", "MB/s", Direction.BIGGER, (90.0,))
    low = Verdict(BenchSpec("io"), tput, Comparison(Status.OK, 90.0), target=100.0)
    assert low.failed and report.verdict_text(low) == "ok; target missed (< 100 MB/s)"


def test_dashboard_is_self_contained() -> None:
    points = tuple(Point(f"{i:040d}", "t", 1.0 + (i >= 5) * 0.5, (1.0, 1.1)) for i in range(10))
    trend = Trend(
        "start <x>", "s", Direction.SMALLER, points, (ChangePoint(5, 1.0, 1.5, 1e-5),), target=1.2
    )
    page = dashboard.render([trend], "Benchmarks")
    assert page.startswith("<!doctype html>") and "<script" not in page and "http" not in page
    assert "start &lt;x&gt;" in page and "+50.0%" in page and "target</text>" in page
    assert dashboard.render([], "B").count("No benchmark runs recorded yet.") == 1


def test_flat_series_still_draws() -> None:
    points = tuple(Point("c" * 40, "t", 1.0, (1.0,)) for _ in range(3))
    assert "<polyline" in dashboard.chart(Trend("k", "s", Direction.SMALLER, points, ()))


def test_targets_follow_the_series_kind() -> None:
    specs = [
        BenchSpec("start", targets={"wall": 1.0, "peak_rss": 5.0}),
        BenchSpec("py", results="r", format="vitest", targets={"wall": 2.0}),
    ]
    assert target_for("start", specs) == 1.0
    assert target_for("start:peak_rss", specs) == 5.0
    assert target_for("py/test_a", specs) == 2.0
    assert target_for("other", specs) is None
    assert trends([]) == []


def _texts(root: ET.Element, cls: str) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == cls]


SVG = ""  # inline SVG in HTML: no namespace


def _trend(medians: list[float], statuses: dict[int, str] | None = None) -> Trend:
    points = tuple(
        Point(f"{i:02d}" + "a" * 38, "t", m, (m * 0.99, m, m * 1.01), (statuses or {}).get(i, ""))
        for i, m in enumerate(medians)
    )
    return Trend("k", "s", Direction.SMALLER, points, ())


def test_dashboard_labels_commits_marks_verdicts_and_ignores_outliers() -> None:
    medians = [1.0 + 0.05 * (i % 3) for i in range(40)]
    trend = _trend(medians, {10: "warn", 20: "fail", 30: "improved"})
    spike = replace(trend.points[5], samples=(1.0, 9.0, 1.1))
    spiky = replace(trend, points=(*trend.points[:5], spike, *trend.points[6:]))
    page = dashboard.chart(spiky)
    root = ET.fromstring(page)
    labels = _texts(root, "xt")
    assert 6 <= len(labels) <= 9 and labels[0] == "00aaaaaa" and labels[-1] == "39aaaaaa"
    marks = {c.get("class"): c.findtext(f"{SVG}title") for c in root.iter(f"{SVG}circle")}
    assert marks["v-warn"] == "10aaaaaaaa: ⚠ warn" and marks["v-fail"] == "20aaaaaaaa: ✖ fail"
    assert marks["v-improved"] == "30aaaaaaaa: ▲ improved"
    ticks = _texts(root, "yt")
    assert ticks[-1] not in ("9 s", "9.0 s") and float(ticks[-1].split()[0]) < 2  # robust range
    assert _texts(root, "n") == ["1 outlier sample beyond the axis (red, up to 9 s)"]


def test_a_small_range_series_is_drawn_as_relative_change() -> None:
    mib = 2**20
    medians = [400 * mib + (i % 4) * 0.1 * mib for i in range(30)]  # a 0.4 MiB wobble
    trend = replace(_trend(medians), unit="B")
    page = dashboard.chart(trend)
    root = ET.fromstring(page)
    ticks = _texts(root, "yt")
    assert ticks[0].startswith("-") and ticks[-1].startswith("+") and ticks[-1].endswith("%")
    assert float(ticks[-1].rstrip("%")) >= 5  # at least ±5 %: the wobble stays a wobble
    assert _texts(root, "n") == ["change from the median 400 MiB"]
