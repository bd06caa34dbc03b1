"""What a toolchain is: a detector that proposes stages, with the plan's budgets.

A proposed stage is a plain dict of definition keys (run, needs, inputs, …), ready to be
written as `[stages.NAME]`.
"""

from __future__ import annotations

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


class Toolchain(Protocol):
    name: str

    def detect(self, root: Path) -> bool:
        """True when the project at `root` uses this language."""

    def stages(self, root: Path) -> dict[str, StageTable]:
        """The stages this project can run, in pipeline order."""
