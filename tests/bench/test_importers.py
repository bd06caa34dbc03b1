"""Imported result formats, and the exact message for each malformed or empty file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shipyard.bench.importers import read
from shipyard.bench.interface import BenchError, BenchSpec, Direction

PYTEST_BENCHMARK = {
    "machine_info": {},
    "commit_info": {},
    "benchmarks": [
        {
            "group": None,
            "name": "test_parse",
            "fullname": "tests/test_b.py::test_parse",
            "stats": {
                "min": 0.001,
                "max": 0.003,
                "mean": 0.002,
                "median": 0.002,
                "rounds": 3,
                "data": [0.001, 0.002, 0.003],
            },
        },
        {
            "name": "test_dump",
            "fullname": "tests/test_b.py::test_dump",
            "stats": {"min": 0.01, "median": 0.011, "mean": 0.012, "rounds": 5},
        },
    ],
}
VITEST = {
    "files": [
        {
            "filepath": "/p/bench/startup.bench.ts",
            "groups": [
                {
                    "fullName": "bench/startup.bench.ts > CLI",
                    "benchmarks": [
                        {
                            "id": "x",
                            "name": "cold start",
                            "rank": 1,
                            "rme": 1.2,
                            "samples": [],
                            "mean": 12.5,
                            "median": 12.0,
                            "min": 11.0,
                            "max": 15.0,
                            "sampleCount": 40,
                        }
                    ],
                }
            ],
        }
    ]
}
HYPERFINE = {
    "results": [
        {
            "command": "mycli --version",
            "mean": 0.05,
            "median": 0.05,
            "times": [0.049, 0.05, 0.052],
            "memory_usage_byte": [30_000_000, 30_100_000, 30_050_000],
        }
    ]
}
CUSTOM = [
    {"name": "throughput", "unit": "ops/s", "value": 1200},
    {"name": "throughput", "unit": "ops/s", "value": 1250},
    {"name": "latency", "unit": "ms", "value": 3.5, "range": "± 0.1"},
]


def spec(fmt: str, **kw: object) -> BenchSpec:
    return BenchSpec(name="b", results="r.json", format=fmt, **kw)  # type: ignore[arg-type]


def write(tmp_path: Path, data: object) -> None:
    (tmp_path / "r.json").write_text(json.dumps(data))


def test_pytest_benchmark(tmp_path: Path) -> None:
    write(tmp_path, PYTEST_BENCHMARK)
    parse, dump = read(spec("pytest-benchmark"), tmp_path)
    assert parse.key == "b/tests/test_b.py::test_parse"
    assert parse.samples == (0.001, 0.002, 0.003) and parse.unit == "s"
    assert dump.samples == (0.011,)  # without --benchmark-save-data: the median


def test_vitest(tmp_path: Path) -> None:
    write(tmp_path, VITEST)
    (s,) = read(spec("vitest"), tmp_path)
    assert s.key == "b/bench/startup.bench.ts > CLI > cold start"
    assert (s.samples, s.unit, s.direction) == ((12.0,), "ms", Direction.SMALLER)


def test_hyperfine_with_memory(tmp_path: Path) -> None:
    write(tmp_path, HYPERFINE)
    wall, rss = read(spec("hyperfine"), tmp_path)
    assert wall.key == "b/mycli --version" and wall.samples == (0.049, 0.05, 0.052)
    assert rss.key == "b/mycli --version:peak_rss" and rss.unit == "B"


def test_github_action_benchmark_custom_formats(tmp_path: Path) -> None:
    write(tmp_path, CUSTOM)
    tput, lat = read(spec("customBiggerIsBetter"), tmp_path)
    assert (tput.samples, tput.unit, tput.direction) == ((1200, 1250), "ops/s", Direction.BIGGER)
    assert lat.samples == (3.5,)
    (smaller, _) = read(
        spec("customSmallerIsBetter", unit="req/s", direction=Direction.BIGGER), tmp_path
    )
    assert smaller.direction is Direction.BIGGER and smaller.unit == "req/s"


@pytest.mark.parametrize(
    ("fmt", "content", "message"),
    [
        (
            "vitest",
            None,
            "r.json: cannot read the results of benchmark 'b': No such file or directory",
        ),
        ("vitest", "", "r.json: the results file of benchmark 'b' is empty"),
        (
            "vitest",
            "{oops",
            "r.json: not valid JSON (line 1, column 2: "
            "Expecting property name enclosed in double quotes)",
        ),
        ("vitest", "[]", "r.json: expected a JSON object, got list"),
        ("hyperfine", "{}", "r.json: expected a list under 'results'"),
        (
            "hyperfine",
            '{"results": []}',
            "r.json: no benchmarks in this hyperfine file (benchmark 'b')",
        ),
        (
            "hyperfine",
            '{"results": [{"command": "x", "times": [1, "2"]}]}',
            "r.json: results[0].times: expected a number, got '2'",
        ),
        (
            "pytest-benchmark",
            '{"benchmarks": [{"name": "t", "stats": {}}]}',
            "r.json: benchmarks[0].stats.median: expected a number, got None",
        ),
        (
            "customSmallerIsBetter",
            '{"name": "x"}',
            "r.json: expected a JSON list of {name, unit, value} entries",
        ),
        (
            "customSmallerIsBetter",
            '[{"unit": "ms", "value": 1}]',
            "r.json: [0]: missing the benchmark's name",
        ),
    ],
)
def test_bad_files_name_what_and_where(
    tmp_path: Path, fmt: str, content: str | None, message: str
) -> None:
    if content is not None:
        (tmp_path / "r.json").write_text(content)
    with pytest.raises(BenchError) as info:
        read(spec(fmt), tmp_path)
    assert info.value.message == message
