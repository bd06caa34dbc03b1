"""`shipyard init`: detect the project and write its pipeline definition.

Python projects get `[tool.shipyard]` in pyproject.toml (the rest of the file kept byte for
byte, via tomlkit); anything else gets `shipyard.toml`. A project with both languages gets both
sets of stages, the Node ones prefixed `node-`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from shipyard import config, output
from shipyard.errors import UsageError
from shipyard.store import write_atomic
from shipyard.toolchains.interface import BUDGETS, StageTable
from shipyard.toolchains.registry import TOOLCHAINS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--print", action="store_true", help="print the definition; write nothing")
    parser.add_argument("--force", action="store_true", help="replace an existing definition")


def run(args: argparse.Namespace) -> int:
    root: Path = args.project
    stages = propose(root)
    if not stages:
        raise UsageError(
            f"found no Python (pyproject.toml) or Node (package.json) project in {root}",
            hint="write shipyard.toml by hand; see docs/configuration.md",
        )
    python = TOOLCHAINS["python"].detect(root) and (root / "pyproject.toml").is_file()
    target = root / ("pyproject.toml" if python else config.DEFINITION_FILE)
    text = render(stages, target if python else None)
    if args.print:
        output.out(text if not python else _section_text(stages))
        return 0
    existing = config.find_definition(root)
    if existing is not None and not args.force:
        raise UsageError(
            f"{existing.name} already holds a pipeline definition",
            hint="use --force to replace it, or --print to see the proposal",
        )
    write_atomic(target, text)
    where = "[tool.shipyard] in pyproject.toml" if python else config.DEFINITION_FILE
    output.out(f"wrote {where}: {', '.join(stages)}")
    output.out("next: `shipyard run --dry-run` to see the plan, `shipyard run` to run it")
    return 0


def propose(root: Path) -> dict[str, StageTable]:
    found = [tc for tc in TOOLCHAINS.values() if tc.detect(root)]
    stages: dict[str, StageTable] = {}
    for tc in found:
        proposed = tc.stages(root)
        prefix = f"{tc.name}-" if len(found) > 1 and tc.name != "python" else ""
        for name, table in proposed.items():
            if prefix and "needs" in table:
                table["needs"] = [prefix + n for n in table["needs"]]
            stages[prefix + name] = table
    if stages:
        stages["security"] = {
            "run": "shipyard scan",
            "critical": False,
            "budget": BUDGETS["security"],
        }
    return stages


def _document(stages: dict[str, StageTable]) -> Any:
    import tomlkit

    doc = tomlkit.table(is_super_table=True)
    for name, table in stages.items():
        t = tomlkit.table()
        for key, value in table.items():
            if isinstance(value, dict):
                inline = tomlkit.inline_table()
                inline.update(value)
                t.add(key, inline)
            else:
                t.add(key, value)
        doc.add(name, t)
    return doc


def _section_text(stages: dict[str, StageTable]) -> str:
    import tomlkit

    wrapper = tomlkit.document()
    tool = tomlkit.table(is_super_table=True)
    shipyard = tomlkit.table(is_super_table=True)
    shipyard.add("stages", _document(stages))
    tool.add("shipyard", shipyard)
    wrapper.add("tool", tool)
    return tomlkit.dumps(wrapper)


def render(stages: dict[str, StageTable], pyproject: Path | None) -> str:
    import tomlkit

    if pyproject is None:
        doc = tomlkit.document()
        doc.add(tomlkit.comment("shipyard pipeline definition; keys: docs/configuration.md"))
        doc.add("stages", _document(stages))
        return tomlkit.dumps(doc)
    doc = tomlkit.parse(pyproject.read_text())
    tool = doc.setdefault("tool", tomlkit.table(is_super_table=True))
    shipyard = tomlkit.table(is_super_table=True)
    shipyard.add("stages", _document(stages))
    tool["shipyard"] = shipyard
    return tomlkit.dumps(doc)
