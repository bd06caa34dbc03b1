"""The monitor sources shipyard knows, by the name of their `[monitor.NAME]` table.

`pipeline` runs even when its table is absent; the others run when configured (or named with
`--only`). Imports are deferred to keep `shipyard --help` fast.
"""

from __future__ import annotations

import importlib

from shipyard.config import Table
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
