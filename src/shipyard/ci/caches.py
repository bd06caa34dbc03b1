"""Cache steps of a stage job, keyed like the local stage cache.

The local key hashes a stage's commands, env, folder, outputs, tools and input files. The CI key
is `shipyard-OS-STAGE[-python][-node]-H-${{ hashFiles(inputs) }}`: H hashes the commands, env,
folder and outputs, and `hashFiles` the same input globs, so the CI key changes when the local
key's commands or inputs do. Entries are restored by prefix when the inputs changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shipyard.ci.interface import Project
from shipyard.ci.pins import uses
from shipyard.config import Stage
from shipyard.pipeline.graph import topo_order
from shipyard.store import STATE_DIR

# (stages mapping, its cacheable ancestors): computed once per definition, not once per job
_ANCESTORS: tuple[Mapping[str, Stage], dict[str, frozenset[str]]] | None = None


def cache_key_prefix(stage: Stage, axes: Mapping[str, Any]) -> str:
    """The stage and a hash of its commands, env and outputs: what the local key hashes
    besides the input files (which `hashFiles` adds)."""
    h = hashlib.sha256()
    for part in (
        stage.cwd,
        *stage.run,
        *sorted(f"{k}={v}" for k, v in stage.env.items()),
        *stage.outputs,
    ):
        h.update(part.encode() + b"\0")
    cells = "".join(f"-${{{{ matrix.{a} }}}}" for a in axes if a in ("python", "node"))
    return f"shipyard-${{{{ runner.os }}}}-{stage.name}{cells}-{h.hexdigest()[:16]}-"


def hash_patterns(root: Path, stage: Stage) -> list[str]:
    """The stage's inputs as `hashFiles` patterns, relative to the workspace."""
    prefix = "" if stage.cwd in (".", "") else stage.cwd.strip("/") + "/"
    out = []
    for pattern in stage.inputs:
        neg, pat = ("!", pattern[1:]) if pattern.startswith("!") else ("", pattern)
        pat = prefix + pat.removeprefix("./").rstrip("/")
        out.append(neg + pat)
        if not any(c in pat for c in "*?[") and _folder(root / pat):
            out.append(f"{neg}{pat}/**")  # a folder stands for everything below it
    return out


def _folder(path: Path) -> bool:
    """A folder, or (not there yet) a name without an extension."""
    return path.is_dir() or (not path.exists() and "." not in path.name)


def _cache_with(project: Project, stage: Stage, axes: Mapping[str, Any]) -> dict[str, str]:
    prefix = cache_key_prefix(stage, axes)
    files = ", ".join(f"'{p}'" for p in hash_patterns(project.root, stage))
    key = f"{prefix}${{{{ hashFiles({files}) }}}}"
    return {"path": f"{STATE_DIR}/cache", "key": key, "restore-keys": prefix}


def cache_steps(project: Project, stage: Stage, axes: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Restore (read-only) what the stages this one needs saved, then this stage's own cache,
    saved when the job ends: `shipyard run` re-runs the needed stages from their entries."""
    stages = project.definition.stages
    needed = cacheable_ancestors(stages)[stage.name]
    steps = [
        {
            "name": f"Restore the cache of {name}",
            "uses": uses("actions/cache/restore"),
            "with": _cache_with(project, stages[name], stages[name].matrix),
        }
        for name in sorted(needed)
        if stages[name].cacheable and _same_cells(stages[name].matrix, axes)
    ]
    if stage.cacheable:
        steps.append(
            {
                "name": "Restore the stage cache",
                "uses": uses("actions/cache"),
                "with": _cache_with(project, stage, axes),
            }
        )
    return steps


def cacheable_ancestors(stages: Mapping[str, Stage]) -> dict[str, frozenset[str]]:
    """Per stage, the cacheable stages it needs directly or through others: one pass in
    dependency order, so 10,000 chained stages cost 10,000 steps, not 50 million."""
    global _ANCESTORS
    if _ANCESTORS is None or _ANCESTORS[0] is not stages:
        found: dict[str, frozenset[str]] = {}
        for name in topo_order({s.name: s.needs for s in stages.values()}):
            mine: set[str] = set()
            for dep in stages[name].needs:
                mine |= found[dep]
                if stages[dep].cacheable:
                    mine.add(dep)
            found[name] = frozenset(mine)
        _ANCESTORS = (stages, found)
    return _ANCESTORS[1]


def _same_cells(theirs: Mapping[str, Any], ours: Mapping[str, Any]) -> bool:
    """Their key names only toolchain axes this job has too (so it resolves here)."""
    return all(a in ours for a in theirs if a in ("python", "node"))
