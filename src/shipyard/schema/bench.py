"""`[bench]`: the benchmark settings and one `[bench.NAME]` table per benchmark
(docs/benchmarking.md)."""

from __future__ import annotations

from shipyard.bench.importers import FORMATS
from shipyard.bench.interface import Thresholds
from shipyard.bench.settings import PRESETS
from shipyard.schema.model import Group, Key
from shipyard.schema.types import SIZE

_FRACTION = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*\+?[0-9]+(?:\.[0-9]+)?\s*%\s*$"},
    ]
}
_LIMITS = Thresholds()


def _limits(what: str) -> tuple[Key, ...]:
    """warn, fail, alpha, noise: a fraction (0.2) or a percentage ("20%")."""
    meaning = {
        "warn": "relative slow-down that warns",
        "fail": "relative slow-down that fails the run (at least warn)",
        "alpha": "one-sided significance level against the pooled baseline (0 to 0.5)",
        "noise": "prior job-to-job spread, used while the history is short",
    }
    return tuple(
        Key(name, "value", f"{text}, {what}", json=_FRACTION, example=getattr(_LIMITS, name))
        for name, text in meaning.items()
    )


BENCHMARK = Group(
    "one benchmark: a command to measure, or results to import",
    keys=(
        Key("preset", "string", "the plan's targets for a CLI", choices=tuple(PRESETS)),
        Key("command", "string", "the command measured"),
        Key(
            "results",
            "string",
            "a results file to import instead",
            companions={"format": "pytest-benchmark"},
        ),
        Key(
            "format",
            "string",
            "the format of the results file",
            choices=tuple(FORMATS),
            companions={"results": "results.json"},
        ),
        Key("runs", "integer", "measured runs", 10, minimum=1),
        Key(
            "warmup",
            "integer",
            "runs before measuring (default 1; the presets set 0 or 3)",
            minimum=0,
        ),
        Key("cold", "boolean", "drop caches before each run (default false; cold-start: true)"),
        Key("prepare", "string", "a command run before each run"),
        Key("cwd", "string", "the folder the command runs in", "."),
        Key("timeout", "duration", "the command is stopped after this long"),
        *_limits("for this benchmark"),
        Key("direction", "string", "which way is better", choices=("smaller", "bigger")),
        Key("unit", "string", "the unit of imported figures"),
        Key(
            "target",
            "duration",
            "the wall time target (a number, in the results' unit, on imports)",
        ),
        Key(
            "max-memory",
            "value",
            'peak memory target, such as "100MB" or a number of bytes',
            json=SIZE,
            example="100MB",
        ),
    ),
    example={"command": "true"},
    json={
        "anyOf": [{"required": ["command"]}, {"required": ["results", "format"]}],
        "dependentRequired": {"results": ["format"], "format": ["results"]},
    },
)

BENCH = Group(
    "benchmarks and their regression thresholds",
    keys=(
        Key("base", "string", "the baseline's branch (default: the default branch)"),
        Key("results", "string", "the folder of result files, in git", ".bench"),
        Key("pool", "integer", "runs pooled into the baseline", 10, minimum=1),
        Key("history", "integer", "runs read to estimate the job-to-job spread", 30, minimum=2),
        Key("remeasure", "integer", "re-measurements that must agree", 2, minimum=0),
        Key("machine", "string", "the machine's name in results (default: detected)"),
        Key("calibrate", "boolean", "time a fixed workload to tell a slow machine", True),
        *_limits("for every benchmark"),
    ),
    entries=Key("NAME", "table", BENCHMARK.description, group=BENCHMARK),
    example={"base": "main"},
    names="^[A-Za-z0-9][A-Za-z0-9_.-]*$",
)
SECTION = Key("bench", "table", BENCH.description, group=BENCH)
