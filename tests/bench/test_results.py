"""Result files: round trip, atomic write, and the messages for unusable history."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from shipyard.bench.interface import BenchError, Direction, Series
from shipyard.bench.results import Run, commit_of, dump, file_name, parse, write

RUN = Run(
    "a" * 40,
    "main",
    "2026-01-01T00:00:00+00:00",
    "m1",
    (
        Series("start", "wall", "s", Direction.SMALLER, (0.1, 0.2)),
        Series("start", "peak_rss", "B", Direction.SMALLER, (1e6,)),
    ),
    {"start": "fail", "start:peak_rss": "ok"},
    base=True,
)


def test_round_trip() -> None:
    back = parse(dump(RUN), "x.json")
    assert back.series == RUN.series and back.statuses == RUN.statuses
    assert (back.commit, back.branch, back.machine, back.base) == ("a" * 40, "main", "m1", True)
    assert back.machine_info == {}
    assert back.get("start:peak_rss") == RUN.series[1] and back.get("nope") is None


def test_layout_is_one_new_file_per_run(tmp_path: Path) -> None:
    when = dt.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    path = write(tmp_path, RUN, when)
    assert path == tmp_path / "m1" / f"{'a' * 40}-20260102T030405.000006Z.json"
    assert commit_of(path.name) == "a" * 40
    assert file_name("b" * 40, when) != path.name
    assert [p.name for p in (tmp_path / "m1").iterdir()] == [path.name]  # no temp file left


def test_newer_schema_is_refused_with_a_hint() -> None:
    data = json.loads(dump(RUN))
    data["schema"] = 7
    data["shipyard"] = "9.0"
    with pytest.raises(BenchError) as info:
        parse(json.dumps(data), ".bench/m1/x.json")
    assert info.value.message == (
        ".bench/m1/x.json: written by a newer shipyard (9.0, result "
        "schema 7; this one reads schema 1)"
    )
    assert info.value.hint == "upgrade shipyard (pip install -U shipyard) to read this history"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "f.json: not valid JSON (line 1: Expecting property name enclosed in double quotes)"),
        ('{"series": []}', "f.json: not a shipyard benchmark result (no schema number)"),
        (
            '{"schema": 1, "series": [{"bench": "b", "direction": "up", "samples": []}]}',
            "f.json: series[0].direction: expected smaller or bigger",
        ),
        ('{"schema": 1}', "f.json: expected a list under 'series'"),
    ],
)
def test_unusable_history_files(text: str, message: str) -> None:
    with pytest.raises(BenchError) as info:
        parse(text, "f.json")
    assert info.value.message == message
