"""The `[bench]` section: global settings and one `[bench.NAME]` table per benchmark."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from shipyard.bench.interface import BenchSpec, Direction, Thresholds
from shipyard.config import MAX_NAME_LENGTH, Definition, Table
from shipyard.git import default_branch_at

# presets from the plan's performance targets for a CLI project
PRESETS: dict[str, dict[str, object]] = {
    "cold-start": {"cold": True, "warmup": 0, "wall": 1.0},
    "warm-start": {"warmup": 3, "wall": 0.2},
    "idle-memory": {"peak_rss": 100e6},
}
_PERCENT = re.compile(r"^\+?(\d+(?:\.\d+)?)\s*%$")
_BYTES = re.compile(r"^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$")
_UNITS = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3}


@dataclass(frozen=True)
class Settings:
    base: str = "main"
    results: str = ".bench"
    pool: int = 10  # runs pooled into the baseline
    history: int = 30  # runs read to estimate the job-to-job spread
    remeasure: int = 2  # re-measurements that must agree before a regression is reported
    machine: str | None = None
    calibrate: bool = True  # time a fixed workload to tell a slow machine from a regression
    benches: tuple[BenchSpec, ...] = ()


def _fraction(t: Table, name: str, default: float) -> float:
    value = t.raw(name)
    if value is None:
        return default
    if isinstance(value, str) and (m := _PERCENT.match(value.strip())):
        return float(m.group(1)) / 100
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    raise t.error(
        name, f'expected a percentage such as "20%" or a fraction such as 0.2, got {value!r}'
    )


def _bytes(t: Table, name: str) -> float | None:
    value = t.raw(name)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    if isinstance(value, str) and (m := _BYTES.match(value.strip())):
        return float(m.group(1)) * _UNITS[m.group(2)]
    raise t.error(name, f'expected a size such as "100MB" or a number of bytes, got {value!r}')


def _thresholds(t: Table, base: Thresholds) -> Thresholds:
    limits = Thresholds(
        warn=_fraction(t, "warn", base.warn),
        fail=_fraction(t, "fail", base.fail),
        alpha=_fraction(t, "alpha", base.alpha),
        noise=_fraction(t, "noise", base.noise),
    )
    if limits.fail < limits.warn:
        raise t.error("fail", f"must be at least warn ({limits.warn:.0%}), got {limits.fail:.0%}")
    if not 0 < limits.alpha < 0.5:
        raise t.error(
            "alpha", f"expected a significance level between 0 and 0.5, got {limits.alpha}"
        )
    return limits


def _choice(t: Table, name: str, choices: tuple[str, ...]) -> str | None:
    value = t.str(name)
    if value is not None and value not in choices:
        raise t.error(name, f"expected one of {', '.join(choices)}, got {value!r}")
    return value


def _bench(name: str, t: Table, limits: Thresholds) -> BenchSpec:
    from shipyard.bench.importers import FORMATS

    preset = PRESETS.get(_choice(t, "preset", tuple(PRESETS)) or "", {})
    spec = BenchSpec(
        name=name,
        command=t.str("command"),
        results=t.str("results"),
        format=_choice(t, "format", tuple(FORMATS)),
        runs=t.int("runs", 10, minimum=1) or 10,
        warmup=t.int("warmup", int(str(preset.get("warmup", 1))), minimum=0) or 0,
        cold=t.bool("cold", bool(preset.get("cold", False))),
        prepare=t.str("prepare"),
        cwd=t.str("cwd", ".") or ".",
        timeout=t.duration("timeout"),
        thresholds=_thresholds(t, limits),
        direction=Direction(d) if (d := _choice(t, "direction", ("smaller", "bigger"))) else None,
        unit=t.str("unit"),
    )
    _check(t, spec)  # before the targets, whose kind depends on `results`
    spec = replace(spec, targets=_targets(t, spec, preset))
    t.done()
    return spec


def _targets(t: Table, spec: BenchSpec, preset: dict[str, object]) -> dict[str, float]:
    targets: dict[str, float] = {}
    wall = t.number("target") if spec.imported else t.duration("target")
    if wall is None and "wall" in preset:
        wall = float(str(preset["wall"]))
    if wall is not None:
        targets["wall"] = wall
    memory = _bytes(t, "max-memory")
    if memory is None and "peak_rss" in preset:
        memory = float(str(preset["peak_rss"]))
    if memory is not None:
        targets["peak_rss"] = memory
    return targets


def _check(t: Table, spec: BenchSpec) -> None:
    if spec.results is not None and not spec.results.strip():
        raise t.error("results", "expected the path of a results file, got an empty string")
    if spec.imported and not spec.format:
        raise t.error(
            "format",
            "missing: the format of the results file",
            hint='for example format = "pytest-benchmark"',
        )
    if not spec.imported and not spec.command:
        raise t.error("command", "missing: a command to measure, or results + format to import")
    if spec.format and not spec.imported:
        raise t.error("results", f"missing: the {spec.format} results file to read")


def _machine(t: Table) -> str | None:
    """`machine`: the name of this machine's results folder, so a name a folder can have."""
    name = t.str("machine")
    if name is not None and not 0 < len(name.strip()) <= MAX_NAME_LENGTH:
        raise t.error("machine", f"expected a name of 1 to {MAX_NAME_LENGTH} characters")
    return name


def load(definition: Definition) -> Settings:
    t = definition.section("bench")
    settings = Settings(
        base=t.str("base") or default_branch_at(definition.root),
        results=t.str("results", ".bench") or ".bench",
        pool=t.int("pool", 10, minimum=1) or 10,
        history=t.int("history", 30, minimum=2) or 30,
        remeasure=t.int("remeasure", 2, minimum=0) or 0,
        machine=_machine(t),
        calibrate=t.bool("calibrate", True),
    )
    limits = _thresholds(t, Thresholds())
    benches = [
        _bench(name, t.table(name, exact=True), limits)
        for name in list(t.data)
        if isinstance(t.data[name], dict)
    ]
    t.done()
    return replace(settings, benches=tuple(benches))
