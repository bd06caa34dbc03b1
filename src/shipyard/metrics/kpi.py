"""The plan's KPI table as data: target, current, previous period and trend (pure logic).

Every figure is a number in a base unit (seconds, a 0..1 ratio, deployments per week, a
percentage, a count); display strings are made by the renderers only. `trend` is the
direction of the figure since the previous period ("up", "down", "flat", or None when either
period has no figure) and `improving` says whether that direction is good for this KPI.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
FLAT = 0.01  # changes within 1 % of the previous figure are flat


@dataclass(frozen=True)
class Kpi:
    key: str
    name: str
    unit: str  # seconds, ratio, per_week, percent, count
    op: str  # how `current` must compare with `target`
    target: float
    current: float | None
    previous: float | None = None
    note: str = ""  # why a figure is missing or stale

    @property
    def ok(self) -> bool | None:
        return None if self.current is None else OPS[self.op](self.current, self.target)

    @property
    def trend(self) -> str | None:
        if self.current is None or self.previous is None:
            return None
        delta = self.current - self.previous
        if abs(delta) <= FLAT * max(abs(self.previous), 1e-9):
            return "flat"
        return "up" if delta > 0 else "down"

    @property
    def improving(self) -> bool | None:
        if self.trend in (None, "flat"):
            return None
        return (self.trend == "up") == (self.op in (">", ">="))

    def serialize(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "unit": self.unit,
            "op": self.op,
            "target": self.target,
            "current": self.current,
            "previous": self.previous,
            "trend": self.trend,
            "improving": self.improving,
            "ok": self.ok,
            "note": self.note,
        }


ARROWS = {"up": "↑", "down": "↓", "flat": "→"}


def arrow(k: Kpi) -> str:
    return ARROWS.get(k.trend or "", "·")


def show(value: float | None, unit: str) -> str:
    """A figure for people: 9m30s, 24.0h, 3.5d, 96.0%, 3.50/week, 80.0%, 2."""
    from shipyard.config import format_duration

    if value is None:
        return "-"
    if unit == "seconds":
        if value >= 2 * 86400:
            return f"{value / 86400:.1f}d"
        return f"{value / 3600:.1f}h" if value >= 3600 else format_duration(value)
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "per_week":
        return f"{value:.2f}/week"
    return f"{value:g}"
