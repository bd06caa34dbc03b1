"""Git hooks that run pipeline stages: the plan's "Pre-commit Checks" (lint, type check, fast
unit tests, < 30 s) on every commit, like pre-commit or husky + lint-staged.

`[hooks]` in the definition maps a git hook to the stages it runs, for example
`pre-commit = ["lint", "typecheck"]` and `pre-push = ["unit"]`. Without it, pre-commit runs the
stages named `lint` and `typecheck` that exist. The hook script calls `shipyard hook run NAME`,
which runs those stages (cached, in parallel) with `when.changed` applied to the staged files,
on the staged snapshot (staged.py). `[hooks.staged]` maps a glob to a command that gets only
the matching staged files, as lint-staged does: `"**/*.py" = "ruff check --no-fix"`.
A repository whose hooks belong to husky (or to another `core.hooksPath`) keeps them: install
refuses and prints the line to add to that hook.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from shipyard import config
from shipyard.errors import UsageError
from shipyard.git import Repo
from shipyard.store import write_atomic

HOOKS = ("pre-commit", "pre-push", "commit-msg")
DEFAULT = {"pre-commit": ("lint", "typecheck")}
MARKER = "# installed by shipyard: `shipyard hook uninstall` removes it"


def stages_for(definition: config.Definition, hook: str) -> list[str]:
    table = definition.section("hooks")
    chosen: dict[str, list[str]] = {}
    for name in HOOKS:
        if table.has(name):
            chosen[name] = table.str_list(name)
    table.str_map("staged")  # read by staged_commands
    table.done()
    if hook in chosen:
        for stage in chosen[hook]:
            if stage not in definition.stages:
                raise table.error(hook, f"names no stage: {stage!r}")
        return chosen[hook]
    return [s for s in DEFAULT.get(hook, ()) if s in definition.stages]


def staged_commands(definition: config.Definition) -> dict[str, str]:
    """`[hooks.staged]`: glob -> command that is given the matching staged files."""
    table = definition.section("hooks")
    commands = table.str_map("staged")
    for glob, command in commands.items():
        if not command.strip():
            raise table.error(f"staged.{glob}", "expected a command, got an empty string")
    return commands


def command_line(hook: str) -> str:
    """The line that runs shipyard's hook: our script's body, and what to add to husky's."""
    return f'{shlex.quote(sys.executable)} -m shipyard hook run {hook} "$@"'


def script(hook: str) -> str:
    return f"#!/bin/sh\n{MARKER}\nexec {command_line(hook)}\n"


def manager(repo: Repo) -> tuple[str, str] | None:
    """(who, hook folder) when the hooks are not git's own: husky, or any `core.hooksPath`."""
    configured = repo.git("config", "--get", "core.hooksPath", check=False).strip()
    if (repo.root / ".husky").is_dir() or configured.startswith(".husky"):
        return "husky", ".husky"
    if configured:
        return f"core.hooksPath ({configured})", configured
    return None


def hook_path(repo: Repo, hook: str) -> Path:
    out = repo.git("rev-parse", "--git-path", f"hooks/{hook}").strip()
    return (repo.root / out).resolve()


def install(repo: Repo, hook: str, force: bool) -> Path:
    managed = None if force else manager(repo)
    if managed is not None:
        who, folder = managed
        raise UsageError(
            f"this repository's git hooks are managed by {who}; shipyard leaves them alone",
            hint=f"add this line to {folder}/{hook}:\n    {command_line(hook)}\n"
            "  or use --force to install into the hooks folder anyway",
        )
    path = hook_path(repo, hook)
    if path.exists() and MARKER not in path.read_text(errors="replace") and not force:
        raise UsageError(
            f"{path} exists and was not written by shipyard",
            hint="move it aside, or use --force to replace it",
        )
    write_atomic(path, script(hook))
    os.chmod(path, 0o755)
    return path


def uninstall(repo: Repo, hook: str) -> bool:
    path = hook_path(repo, hook)
    if path.exists() and MARKER in path.read_text(errors="replace"):
        path.unlink()
        return True
    return False


def relevant(definition: config.Definition, stages: list[str], staged: list[str]) -> list[str]:
    """The hook's stages that concern the staged files (as lint-staged would choose).

    A stage whose `when.changed` (or, without it, `inputs`) match no staged file is left out;
    a stage with neither always runs.
    """
    from shipyard.pipeline import globs

    keep = []
    for name in stages:
        stage = definition.stages[name]
        patterns = stage.when.changed or stage.inputs
        prefix = "" if stage.cwd in (".", "") else stage.cwd.strip("/") + "/"
        scoped = [f"!{prefix}{p[1:]}" if p.startswith("!") else prefix + p for p in patterns]
        if not patterns or any(globs.matches(f, scoped) for f in staged):
            keep.append(name)
    return keep
