"""`shipyard rollback BAD --to GOOD`: deprecate BAD and move its channel back to GOOD."""

from __future__ import annotations

import argparse

from shipyard import output
from shipyard.errors import UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("bad", metavar="BAD", help="the version to take back")
    parser.add_argument(
        "--to",
        dest="good",
        metavar="GOOD",
        required=True,
        help="the version the channel points to again",
    )
    parser.add_argument(
        "--channel",
        choices=["latest", "alpha", "beta", "rc"],
        help="the channel to move (default: BAD's own channel)",
    )
    parser.add_argument("--dry-run", action="store_true", help="say what would be done; do it not")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    from shipyard import versions
    from shipyard.release import records, rules, settings
    from shipyard.release.registry import for_project, package_name
    from shipyard.store import Store

    bad = versions.require(args.bad, "BAD")
    good = versions.require(args.good, "--to")
    if bad == good:
        raise UsageError(
            f"BAD and --to are the same version ({args.bad})",
            hint="name the good version the channel should point to",
        )
    channel = args.channel or bad.channel
    dist_tag = rules.DIST_TAGS[None if channel == "latest" else channel]
    conf, root = settings.load(args.project)
    publishers = for_project(root, conf, Store(root).dir / "release")
    if not publishers:
        raise UsageError(
            f"{root} has no package to roll back (no package.json or pyproject.toml with a name)",
            hint="set release.publish, or run in the package",
        )
    done: list[dict[str, object]] = []
    for pub in publishers:
        scheme = "semver" if pub.name == "npm" else "pep440"
        lines = pub.rollback(root, bad.render(scheme), good.render(scheme), dist_tag, args.dry_run)
        done.append({"registry": pub.name, "dist_tag": dist_tag, "steps": list(lines)})
        for line in [] if args.json else lines:
            output.out(f"{pub.name}: {line}")
        if not args.dry_run:
            records.record_rollback(
                Store(root),
                pub.name,
                package_name(pub.name, root),
                bad.render(scheme),
                good.render(scheme),
                dist_tag,
                "done" if pub.name == "npm" else "manual",
            )
    if args.json:
        output.json_out(
            {"bad": args.bad, "good": args.good, "dry_run": args.dry_run, "registries": done}
        )
    return 0
