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
        output.out(f"installed {path}: runs {', '.join(stages) or 'no stage yet'}")
        return 0
    if args.action == "uninstall":
        removed = hooks.uninstall(repo, args.hook)
        output.out(f"removed the {args.hook} hook" if removed else f"no shipyard {args.hook} hook")
        return 0
    return _run_hook(repo, args.hook)


def _run_hook(repo: Repo, hook: str) -> int:
    from shipyard.commands.run import RunOptions, execute

    definition = config.load(repo.root)
    stages = hooks.stages_for(definition, hook)
    if hook == "pre-commit":
        stages = hooks.relevant(definition, stages, hooks.staged_files(repo))
    if not stages:
        output.out(f"shipyard {hook}: no stage concerns this change")
        return 0
    opts = RunOptions(stages=stages, quiet=False)
    result = execute(repo.root, options=opts)
    if result is not None and not result.ok:
        output.err(f"shipyard {hook}: failed; fix it, or skip once with `git commit --no-verify`")
        return 1
    return 0
