"""What a toolchain is: a detector that proposes stages, with the plan's budgets.

A proposed stage is a plain dict of definition keys (run, needs, inputs, …), ready to be
written as `[stages.NAME]`. Every guess a detector makes is kept with the file that made it,
so `shipyard init --explain` can show why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

StageTable = dict[str, Any]

# The plan's "Pipeline Stages" table: budgets and critical-path flags.
BUDGETS = {
    "lint": "2m",
    "typecheck": "2m",
    "build": "3m",
    "unit": "3m",
    "integration": "5m",
    "e2e": "5m",
    "security": "3m",
}


@dataclass(frozen=True)
class Guess:
    """One thing detection concluded, and the file (or absence of one) that made it."""

    what: str
    source: str


@dataclass
class Proposal:
    """What one toolchain proposes for a project."""

    stages: dict[str, StageTable] = field(default_factory=dict)
    guesses: list[Guess] = field(default_factory=list)
    publish: str | None = None  # "npm" or "pypi": where `shipyard release` publishes
    scheme: str = "semver"  # the version notation: "semver" or "pep440"
    package: str | None = None  # the package name, for `name@1.2.3` tags
    bench: dict[str, StageTable] = field(default_factory=dict)  # [bench.NAME] tables
    ignore: list[str] = field(default_factory=list)  # files the stages write, for .gitignore

    def guess(self, what: str, source: str) -> None:
        self.guesses.append(Guess(what, source))


class Toolchain(Protocol):
    name: str

    def detect(self, root: Path) -> bool:
        """True when the project at `root` uses this language."""

    def propose(self, root: Path) -> Proposal:
        """The stages this project can run, in pipeline order, with the guesses made."""
