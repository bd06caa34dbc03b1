"""`shipyard hook install|uninstall|run`: git hooks that run pipeline stages."""

from __future__ import annotations

import argparse

from shipyard import config, hooks, output
from shipyard.errors import UsageError
from shipyard.git import Repo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    for action, text in (("install", "write the git hook"), ("uninstall", "remove it")):
        p = sub.add_parser(action, help=text)
        p.add_argument("hook", nargs="?", default="pre-commit", choices=hooks.HOOKS)
        if action == "install":
            p.add_argument("--force", action="store_true", help="replace a foreign hook")
        p.add_argument("--json", action="store_true", help="print the result as JSON")
    run = sub.add_parser("run", help="run the hook's stages now (what the hook script calls)")
    run.add_argument("hook", choices=hooks.HOOKS)
    run.add_argument("hook_args", nargs="*", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    repo = Repo.find(args.project)
    if repo is None:
        raise UsageError(f"{args.project} is not in a git repository")
    if args.action == "install":
        definition = config.load(repo.root)
        path = hooks.install(repo, args.hook, args.force)
        stages = hooks.stages_for(definition, args.hook)
        if args.json:
            output.json_out({"hook": args.hook, "path": str(path), "stages": stages})
        else:
            output.out(f"installed {path}: runs {', '.join(stages) or 'no stage yet'}")
        return 0
    if args.action == "uninstall":
        removed = hooks.uninstall(repo, args.hook)
        if args.json:
            output.json_out({"hook": args.hook, "removed": removed})
        else:
            output.out(
                f"removed the {args.hook} hook" if removed else f"no shipyard {args.hook} hook"
            )
        return 0
    return _run_hook(repo, args.hook)


def _run_hook(repo: Repo, hook: str) -> int:
    from shipyard.store import Store

    definition = config.load(repo.root)
    stages = hooks.stages_for(definition, hook)
    if hook != "pre-commit":
        return _run_stages(repo, hook, stages)
    from shipyard import staged

    files = staged.files(repo)
    stages = hooks.relevant(definition, stages, files)
    commands = hooks.staged_commands(definition)
    with staged.snapshot(repo, Store(repo.root).folder("hooks")):
        ok = _run_staged_commands(repo, commands, files)
        return _run_stages(repo, hook, stages, nothing=not commands) if ok else 1


def _run_stages(repo: Repo, hook: str, stages: list[str], nothing: bool = True) -> int:
    from shipyard import api
    from shipyard.pipeline.session import RunOptions

    if not stages:
        if nothing:
            output.out(f"shipyard {hook}: no stage concerns this change")
        return 0
    opts = RunOptions(stages=stages, quiet=False, hook=hook)
    result = api.run(repo.root, options=opts)
    if not result.ok:
        output.err(f"shipyard {hook}: failed; fix it, or skip once with `git commit --no-verify`")
        return 1
    return 0


def _run_staged_commands(repo: Repo, commands: dict[str, str], files: list[str]) -> bool:
    """`[hooks.staged]`: each command on the staged files its glob matches, lint-staged style."""
    import shlex

    from shipyard import proc
    from shipyard.pipeline import globs

    ok = True
    for glob, command in commands.items():
        matched = globs.select(files, [glob])
        if not matched:
            continue
        line = f"{command} {shlex.join(matched)}"
        r = proc.run(["/bin/sh", "-c", line], cwd=repo.root, check=False)
        mark = "✓" if r.returncode == 0 else "✗"
        output.out(f"{mark} {command} ({len(matched)} staged file{'s' * (len(matched) != 1)})")
        if r.returncode != 0:
            output.out((r.stdout + r.stderr).rstrip())
            output.err(f"shipyard pre-commit: `{command}` failed on the staged files")
            ok = False
    return ok
