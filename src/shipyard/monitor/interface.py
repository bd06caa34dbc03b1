"""The monitor family: a source reads its `[monitor.NAME]` table into a check, and the check
looks at the world and returns what it saw, with the alerts it raises.

Reading and running are separate so that every configured table is validated on every run
(a typo in `[monitor.registry]` is reported even under `--only health`) while only the selected
checks touch the network. Each source says plainly when its data is missing or stale: that is
a result with `ok = False` and a low or medium alert, never a silent pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from shipyard.config import Definition, Table
from shipyard.errors import ShipyardError
from shipyard.notify.interface import Alert
from shipyard.store import Store


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    alerts: tuple[Alert, ...] = ()


@dataclass(frozen=True)
class Context:
    """What a check may look at: the definition, the run store and the clock."""

    definition: Definition
    store: Store
    now: float = field(default_factory=time.time)

    @property
    def root(self) -> Path:
        return self.definition.root


class SourceError(ShipyardError):
    """A source could not read its data; checks turn it into a "data missing" result."""


class Check(Protocol):
    def run(self, ctx: Context) -> CheckResult:
        """Look, and report; transport failures become a result, not an exception."""


# A source: its table in, a ready check out (raising ConfigError for a bad key).
Source = Callable[[Table], Check]


def data_missing(name: str, what: str, alert: Alert) -> CheckResult:
    """The result of a source whose data could not be read: stated, and alerted."""
    return CheckResult(name, False, f"data missing: {what}", (alert,))
