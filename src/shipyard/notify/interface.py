"""What an alert is, what a channel does with it, and the one error channels raise.

The plan's alert types map to severities: critical (security vulnerabilities, build failures),
high (performance regressions, test failures), medium (deprecations, registry trouble), low
(reports). Each channel has a minimum severity, so security alerts can go to GitHub issues and
e-mail while the team's chat hears about everything from medium up.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from typing import Protocol

from shipyard.errors import ShipyardError


class Severity(enum.IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Alert:
    severity: Severity
    source: str  # the check that raised it
    title: str
    body: str = ""

    @property
    def fingerprint(self) -> str:
        """Same check, same title: the same alert (for de-duplication)."""
        return hashlib.sha256(f"{self.source}\0{self.title}".encode()).hexdigest()[:16]


class NotifyError(ShipyardError):
    """A channel could not deliver; the message never contains a secret."""

    exit_code = 1


class Channel(Protocol):
    name: str
    min_severity: Severity

    def send(self, alert: Alert) -> None:
        """Deliver the alert or raise NotifyError."""
