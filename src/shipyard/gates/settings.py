"""The `[gates]` section: which gates run, their thresholds, the base branch.

Every gate has the plan's number as its default; a project changes one with, say,
`[gates.coverage] lines = 90`, or turns it off with `= false`. Thresholds are checked here, with
errors naming the key path, so evaluation never meets a malformed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from shipyard.config import Definition, Table, parse_duration
from shipyard.git import default_branch_at

BASELINE = "baseline"  # lint.warnings: not above the last main-branch run


@dataclass(frozen=True)
class Spec:
    gate: str  # "<group>.<key>"
    op: str  # ">=", "<=" or "<"
    default: float | str
    unit: str  # "%", "count", "seconds", "bytes"
    kind: str  # the report kind it reads; "run" for stage durations from the run store

    @property
    def key(self) -> str:
        """Its key in `[gates.GROUP]`, kebab-case like every key: `changed-lines`."""
        return self.gate.split(".")[1].replace("_", "-")


MB = 1_000_000
SPECS: tuple[Spec, ...] = (
    Spec("coverage.lines", ">=", 80.0, "%", "coverage"),
    Spec("coverage.functions", ">=", 80.0, "%", "coverage"),
    Spec("coverage.branches", ">=", 75.0, "%", "coverage"),
    Spec("coverage.statements", ">=", 80.0, "%", "coverage"),
    Spec("coverage.changed_lines", ">=", 80.0, "%", "coverage"),
    Spec("tests.failures", "<=", 0, "count", "junit"),
    Spec("tests.time", "<", 300.0, "seconds", "junit"),
    Spec("build.time", "<", 180.0, "seconds", "run"),
    Spec("lint.errors", "<=", 0, "count", "lint"),
    Spec("lint.warnings", "<=", BASELINE, "count", "lint"),
    Spec("typecheck.errors", "<=", 0, "count", "typecheck"),
    Spec("format.files", "<=", 0, "count", "format"),
    Spec("bundle.total", "<", 5.0 * MB, "bytes", "bundle"),
    Spec("bundle.largest", "<", 2.0 * MB, "bytes", "bundle"),
    Spec("bundle.gzip", "<", 1.0 * MB, "bytes", "bundle"),
)
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|kB|KB|KiB|MB|MiB|GB|GiB)?\s*$")
_UNITS = {
    None: 1,
    "B": 1,
    "kB": 1e3,
    "KB": 1e3,
    "KiB": 1024,
    "MB": 1e6,
    "MiB": 1024**2,
    "GB": 1e9,
    "GiB": 1024**3,
}


@dataclass
class GateConfig:
    thresholds: dict[str, float | str] = field(default_factory=dict)  # enabled gates only
    explicit: set[str] = field(default_factory=set)  # gates the definition names
    base: str = "main"  # load() puts the repository's default branch here
    warn_only: bool = False
    stale_fails: bool = False


def parse_size(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    m = _SIZE.match(value) if isinstance(value, str) else None
    return float(m.group(1)) * _UNITS[m.group(2)] if m else None


GATE_KINDS = frozenset(s.kind for s in SPECS) - {"run"}


def turned_off(definition: Definition) -> bool:
    """`gates = false` in the definition."""
    raw: object = definition.sections.get("gates")
    return raw is False


def enabled(definition: Definition) -> bool:
    """Whether `shipyard run` evaluates the gates: `gates = false` turns them off; otherwise
    they are on with a `[gates]` section, or with the plan's defaults as soon as a stage
    declares a report a gate reads."""
    if turned_off(definition):
        return False
    if "gates" in definition.sections:
        return True
    return any(kind in GATE_KINDS for s in definition.stages.values() for kind in s.reports)


def load(definition: Definition) -> GateConfig:
    raw: object = definition.sections.get("gates")
    if isinstance(raw, bool):  # `gates = true|false`: the defaults (false is checked by callers)
        return GateConfig(thresholds={s.gate: s.default for s in SPECS})
    section = definition.section("gates")
    cfg = GateConfig(
        base=section.str("base") or default_branch_at(definition.root),
        warn_only=section.bool("warn-only", False),
    )
    stale = section.str("stale-reports", "warn")
    if stale not in ("warn", "fail"):
        raise section.error("stale-reports", f'expected "warn" or "fail", got {stale!r}')
    cfg.stale_fails = stale == "fail"
    groups = {s.gate.split(".")[0] for s in SPECS}
    tables = {g: section.table(g) for g in sorted(groups) if section.has(g)}
    for spec in SPECS:
        group, key = spec.gate.split(".")
        table = tables.get(group)
        if table is not None:
            table.raw(key)  # marks the key known, so a misspelling gets a "did you mean"
        if table is None or not table.has(key):
            cfg.thresholds[spec.gate] = spec.default
            continue
        cfg.explicit.add(spec.gate)
        value = _threshold(table, key, spec)
        if value is not None:
            cfg.thresholds[spec.gate] = value
    for table in tables.values():
        table.done()
    section.done()
    return cfg


def _threshold(t: Table, key: str, spec: Spec) -> float | str | None:
    """The threshold, or None when the gate is turned off with `false`."""
    raw: Any = t.raw(key)
    if raw is False:
        return None
    if spec.unit == "%":
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 100:
            raise t.error(key, f"expected a percentage from 0 to 100, or false, got {raw!r}")
        return float(raw)
    if spec.unit == "seconds":
        seconds = parse_duration(raw)
        if seconds is None:
            raise t.error(key, f'expected a duration such as "5m" or "90s", or false, got {raw!r}')
        return seconds
    if spec.unit == "bytes":
        size = parse_size(raw)
        if size is None:
            raise t.error(key, f'expected a size such as "5MB" or "500kB", or false, got {raw!r}')
        return size
    if raw == BASELINE and spec.default == BASELINE:
        return BASELINE
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        also = ' or "baseline"' if spec.default == BASELINE else ""
        raise t.error(key, f"expected a count (an integer >= 0){also}, or false, got {raw!r}")
    return float(raw)
