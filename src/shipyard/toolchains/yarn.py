"""Yarn's two lines: classic (1.x, `--frozen-lockfile`) and berry (2+, `.yarnrc.yml`,
`--immutable`), and berry's default Plug'n'Play install, which has no node_modules/.bin: there
a stage's tool runs as `yarn TOOL`, which puts the PnP loader in place, and coverage leaves
the loader files (.pnp.cjs, .pnp.loader.mjs) out."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from shipyard.toolchains.interface import Proposal, StageTable

NOT_TOOLS = frozenset({"yarn", "npm", "pnpm", "bun", "shipyard", "node", "npx"})
# c8's --exclude replaces its defaults: the defaults that matter, plus the PnP loader
PNP_COVERAGE_EXCLUDES = (
    " --exclude=.pnp.* --exclude=.yarn/** --exclude=coverage/** --exclude=test/**"
    " --exclude=tests/** --exclude=**/*.test.* --exclude=**/*.spec.*"
)


def berry(root: Path, pkg: dict[str, Any]) -> bool:
    """Yarn 2 or later: a .yarnrc.yml, or `packageManager: yarn@2…`."""
    declared = str(pkg.get("packageManager", ""))
    return (root / ".yarnrc.yml").is_file() or bool(re.match(r"yarn@([2-9]|\d\d)", declared))


def pnp(root: Path) -> bool:
    """Whether berry installs Plug'n'Play (its default) rather than a node_modules folder."""
    try:
        rc = (root / ".yarnrc.yml").read_text(errors="replace")
    except OSError:
        rc = ""
    linker = re.search(r"^nodeLinker:\s*[\"']?([\w-]+)", rc, re.MULTILINE)
    return linker is None or linker.group(1) == "pnp"


def under_pnp(stages: dict[str, StageTable], out: Proposal) -> None:
    """Run each stage's tools through `yarn`, and keep the loader out of c8's coverage."""
    for table in stages.values():
        commands = table["run"] if isinstance(table["run"], list) else [table["run"]]
        done = [_through_yarn(c) for c in commands]
        table["run"] = done if isinstance(table["run"], list) else done[0]
    out.guess("Plug'n'Play (no node_modules): tools run as `yarn TOOL`", ".yarnrc.yml")


def _through_yarn(command: str) -> str:
    first = command.split(maxsplit=1)[0] if command.strip() else ""
    if not first or first in NOT_TOOLS or "=" in first:
        return command
    if first == "c8":
        command = command.replace("c8 ", "c8" + PNP_COVERAGE_EXCLUDES + " ", 1)
    return "yarn " + command
