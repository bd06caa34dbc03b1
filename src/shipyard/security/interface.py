"""The scanner family: one finding model shared by every scanner, its Protocol and its error.

Each scanner (secrets, deps, code, licenses) turns a project into a `ScanResult`: findings plus
what it could not look at (skipped files, unchecked dependencies) and warnings. The gates
(`gates.py`) and the outputs (`report.py`, `formats/sarif.py`) only see this data.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from shipyard.errors import InputError


class ScanError(InputError):
    """A scanner's input (lockfile, advisory database, rule file) is missing or malformed."""


class Severity(enum.IntEnum):
    """Ordered severities; UNKNOWN sorts lowest but is gated on its own (see gates.py)."""

    UNKNOWN = 0
    INFO = 1
    LOW = 2
    MODERATE = 3
    HIGH = 4
    CRITICAL = 5

    @classmethod
    def parse(cls, text: str) -> Severity | None:
        aliases = {"MEDIUM": "MODERATE", "WARNING": "MODERATE", "ERROR": "HIGH", "NOTE": "LOW"}
        name = text.strip().upper()
        return cls.__members__.get(aliases.get(name, name))

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Finding:
    """One thing a scanner found; `fingerprint` identifies it across runs and line moves."""

    scanner: str
    rule: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    commit: str | None = None
    fingerprint: str = ""
    detail: Mapping[str, str] = field(default_factory=dict)

    def serialize(self) -> dict[str, object]:
        """The finding as plain data, for JSON reports."""
        return {
            "scanner": self.scanner,
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "commit": self.commit,
            "fingerprint": self.fingerprint,
            **({"detail": dict(self.detail)} if self.detail else {}),
        }

    def to_json(self) -> dict[str, object]:
        """Deprecated spelling of `serialize` (reachable through `api.scan`); kept one release."""
        return self.serialize()


@dataclass(frozen=True)
class Skipped:
    """Something a scanner could not check, and why (binary file, unparsable version, …)."""

    what: str
    reason: str
    allowed: bool = False  # the definition accepts it (a size limit it set): not a gate failure


@dataclass
class ScanResult:
    scanner: str
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, float] = field(default_factory=dict)
    suppressed: int = 0  # findings silenced by a baseline or an allow comment
    error: str | None = None  # the scanner could not run (bad input); set in a full scan
    # conditions that fail the gate on their own: no analyzer ran, a stale advisory database
    blocking: list[str] = field(default_factory=list)


class Scanner(Protocol):
    name: str

    def scan(self, root: Path) -> ScanResult: ...


def fingerprint(*parts: str) -> str:
    """A stable content hash: the same inputs give the same id on every machine and run."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]
