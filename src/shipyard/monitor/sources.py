"""The monitor sources shipyard knows, by the name of their `[monitor.NAME]` table.

`pipeline` runs even when its table is absent; the others run when configured (or named with
`--only`). Imports are deferred to keep `shipyard --help` fast.
"""

from __future__ import annotations

import importlib

from shipyard.config import Definition, Table
from shipyard.monitor.interface import Check

# name -> module defining `source(t: Table) -> Check`
SOURCES: dict[str, str] = {
    "pipeline": "shipyard.monitor.pipeline",
    "registry": "shipyard.monitor.registry",
    "health": "shipyard.monitor.health",
    "downloads": "shipyard.monitor.downloads",
    "issues": "shipyard.monitor.issues",
    "advisories": "shipyard.monitor.advisories",
}
ALWAYS = frozenset({"pipeline"})


def configure(name: str, t: Table) -> Check:
    """The check for `[monitor.NAME]`, its table validated (unknown keys rejected)."""
    check: Check = importlib.import_module(SOURCES[name]).source(t)
    t.done()
    return check


def read(definition: Definition, only: list[str] | None = None) -> tuple[float, dict[str, Check]]:
    """`[monitor]`: how often an alert repeats, and the checks to run (`only` those named).
    Every configured table is read and validated, even those `only` leaves out."""
    section = definition.section("monitor")
    repeat = section.duration("repeat", 24 * 3600.0) or 0.0
    names = only or [n for n in SOURCES if n in ALWAYS or section.has(n)]
    checks = {
        name: configure(name, section.table(name))
        for name in SOURCES
        if section.has(name) or name in names
    }
    section.done()
    return repeat, {name: checks[name] for name in SOURCES if name in names}
