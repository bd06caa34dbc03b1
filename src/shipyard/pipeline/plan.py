"""Which stage instances a run executes, and why the others are skipped.

Pure: takes the definition's stages plus the run's selection (named stages, trigger, changed
files, matrix mode) and returns instances in dependency order. A matrix stage becomes one
instance per combination with `--matrix all`, else one instance for the local toolchain.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shipyard.config import Stage
from shipyard.errors import UsageError
from shipyard.pipeline import globs
from shipyard.pipeline.graph import closure, topo_order

LOCAL = "local"


@dataclass(frozen=True)
class Instance:
    """One thing the runner executes: a stage, or one cell of its matrix."""

    stage: Stage
    cell: Mapping[str, str] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    skip: str = ""  # reason this instance is skipped, empty when it runs

    @property
    def name(self) -> str:
        if not self.cell:
            return self.stage.name
        inner = ",".join(f"{k}={v}" for k, v in self.cell.items())
        return f"{self.stage.name}[{inner}]"


@dataclass(frozen=True)
class Selection:
    stages: Sequence[str] = ()
    trigger: str = LOCAL
    changed: Sequence[str] | None = None  # None: no --changed-since given
    matrix_all: bool = False
    release: bool = False


def plan(stages: Mapping[str, Stage], sel: Selection) -> list[Instance]:
    needs = {s.name: s.needs for s in stages.values()}
    for name in sel.stages:
        if name not in stages:
            known = ", ".join(stages) or "none"
            raise UsageError(f"no stage named {name!r} (stages: {known})")
    named = list(sel.stages)
    if sel.release:
        named += [s.name for s in stages.values() if s.release]
        if not named:
            raise UsageError("no stage is marked `release = true` in the definition")
    wanted = closure(needs, named) if named else set(stages)
    explicit = set(named)
    instances: list[Instance] = []
    cells: dict[str, list[str]] = {}
    for name in topo_order(needs):
        if name not in wanted:
            continue
        stage = stages[name]
        reason = "" if name in explicit else _skip_reason(stage, sel)
        deps = tuple(itertools.chain.from_iterable(cells[d] for d in stage.needs if d in cells))
        expanded = _cells(stage, sel.matrix_all)
        cells[name] = []
        for cell in expanded:
            inst = Instance(stage, cell, deps, reason)
            cells[name].append(inst.name)
            instances.append(inst)
    return instances


def _skip_reason(stage: Stage, sel: Selection) -> str:
    on = stage.when.on
    if sel.trigger == LOCAL:
        if not {"push", "pr"} & set(on):
            if not on:
                return "no trigger: runs only when named (e.g. by a git hook)"
            return f"runs on {', '.join(on)} only (name it to run it)"
    elif sel.trigger not in on:
        return f"not triggered by {sel.trigger}"
    if sel.changed is not None and misses(stage, sel.changed):
        return "no changed file matches when.changed"
    return ""


def misses(stage: Stage, changed: Sequence[str]) -> bool:
    """Whether the stage's `when.changed` globs leave out every one of the `changed` paths."""
    return bool(stage.when.changed) and not any(
        globs.matches(p, stage.when.changed) for p in changed
    )


def _cells(stage: Stage, matrix_all: bool) -> list[dict[str, str]]:
    if not stage.matrix or not matrix_all:
        return [{}]
    axes = list(stage.matrix)
    return [
        dict(zip(axes, combo, strict=True))
        for combo in itertools.product(*(stage.matrix[a] for a in axes))
    ]
