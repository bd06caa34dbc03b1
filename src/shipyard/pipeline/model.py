"""Results as data: a status per stage, a run that holds them, and their JSON form."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any


class Status(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    CACHED = "cached"
    SKIPPED = "skipped"  # not selected by trigger / changed paths
    BLOCKED = "blocked"  # something it needs failed
    CANCELLED = "cancelled"  # stopped because another stage failed, or interrupted
    TIMEOUT = "timeout"

    @property
    def ok(self) -> bool:
        return self in (Status.PASSED, Status.CACHED, Status.SKIPPED)


@dataclass
class StageResult:
    name: str
    status: Status
    duration: float = 0.0
    budget: float | None = None
    exit_code: int | None = None
    critical: bool = True
    cache_key: str | None = None
    reason: str = ""
    log: str | None = None

    @property
    def over_budget(self) -> bool:
        return (
            self.budget is not None
            and self.status in (Status.PASSED, Status.FAILED, Status.TIMEOUT)
            and self.duration > self.budget
        )

    @property
    def blocks(self) -> bool:
        """True when this result must stop the stages that need it."""
        return not self.status.ok

    def serialize(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = str(self.status)
        data["over_budget"] = self.over_budget
        return data


@dataclass
class RunResult:
    id: int | None
    trigger: str
    commit: str | None
    branch: str | None
    started: float
    duration: float = 0.0
    stages: list[StageResult] = field(default_factory=list)
    interrupted: bool = False
    gates_passed: bool | None = None  # None: no gates configured
    errored: bool = False  # shipyard itself failed: never recorded as passed
    changed_files: list[str] = field(default_factory=list)  # tracked files the run modified

    @property
    def result(self) -> str:
        if self.errored:
            return "errored"
        if self.interrupted:
            return "interrupted"
        return "passed" if self.ok else "failed"

    @property
    def ok(self) -> bool:
        return (
            not self.errored
            and not self.interrupted
            and self.gates_passed is not False
            and all(r.status.ok or not r.critical for r in self.stages)
        )

    def serialize(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "trigger": self.trigger,
            "commit": self.commit,
            "branch": self.branch,
            "started": self.started,
            "duration": self.duration,
            "result": "errored" if self.errored else ("passed" if self.ok else "failed"),
            "interrupted": self.interrupted,
            "gates_passed": self.gates_passed,
            "stages": [s.serialize() for s in self.stages],
            "changed_files": self.changed_files,
        }
