"""`[gates]`: the thresholds, one table per group of gates (docs/gates.md).

The gates and their defaults are `gates.settings.SPECS`; this module only says how each is
written, so a gate added there is declared here without a second list."""

from __future__ import annotations

from typing import Any

from shipyard.gates.settings import BASELINE, SPECS, Spec
from shipyard.schema.model import Group, Key
from shipyard.schema.types import DURATION, OFF, SIZE

_UNIT: dict[str, tuple[str, dict[str, Any]]] = {
    "%": ("a percentage from 0 to 100", {"type": "number", "minimum": 0, "maximum": 100}),
    "seconds": ('a duration such as "5m" or "90s"', DURATION),
    "bytes": ('a size such as "5MB" or "500kB", or a number of bytes', SIZE),
    "count": ("a count (an integer >= 0)", {"type": "integer", "minimum": 0}),
}


def _threshold(spec: Spec) -> Key:
    what, json = _UNIT[spec.unit]
    options = [json, OFF]
    if spec.default == BASELINE:
        options.insert(1, {"const": BASELINE})
        what += ', or "baseline" (not above the last main-branch run)'
    return Key(
        spec.key,
        "value",
        f"{spec.gate} must be {spec.op} this: {what}; false turns the gate off",
        json={"anyOf": options},
        example=spec.default,
    )


def _group(name: str) -> Key:
    specs = [s for s in SPECS if s.gate.split(".")[0] == name]
    return Key(
        name,
        "table",
        f"the {name} gates",
        group=Group(f"the {name} gates", keys=tuple(_threshold(s) for s in specs)),
    )


GATES = Group(
    "quality gates: thresholds on the stages' reports; `gates = false` turns them off in run",
    keys=(
        Key(
            "base",
            "string",
            "the base branch of changed-lines coverage (default: the default branch)",
        ),
        Key("warn-only", "boolean", "report failing gates without failing", False),
        Key(
            "stale-reports",
            "string",
            "a report older than the run: warn, or fail the gate",
            "warn",
            choices=("warn", "fail"),
        ),
        *(_group(g) for g in dict.fromkeys(s.gate.split(".")[0] for s in SPECS)),
    ),
    example={"base": "main"},  # samples name the base: no git asked
)
SECTION = Key("gates", "value", GATES.description, json=OFF, group=GATES, example={"base": "main"})
