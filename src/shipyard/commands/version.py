"""`shipyard version`: print the next version that the conventional commits warrant.

In a monorepo (docs/release.md, "Monorepos") it prints `name version` for every package that
changed, or the one `--package NAME` asks for."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from shipyard import output

if TYPE_CHECKING:
    from shipyard.release.packages import PackageRelease
    from shipyard.release.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--channel",
        choices=["alpha", "beta", "rc"],
        help="a pre-release on this channel (default: a final release)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="list the commits that decided the version"
    )
    parser.add_argument(
        "--package", metavar="NAME", help="in a monorepo: the next version of this package only"
    )
    parser.add_argument("--json", action="store_true", help="print the decision as JSON")


def run(args: argparse.Namespace) -> int:
    from shipyard import api
    from shipyard.release import render

    versions = api.decide_versions(args.project, args.channel, args.package)
    if versions.packages is not None:
        if args.package:
            return _one(versions.package(args.package), versions.settings, args)
        return _all(versions.packages, args)
    decision = versions.decision
    assert decision is not None
    if args.json:
        output.json_out(render.serialize(decision))
        return 0
    output.out(decision.version)
    if args.explain:
        for line in render.lines(decision, versions.settings.policy.bumps):
            output.out(line)
    if not decision.next.release:
        output.err(f"no release: {decision.next.reason}; {decision.version} is the current version")
    return 0


def _one(pr: PackageRelease, conf: Settings, args: argparse.Namespace) -> int:
    from shipyard.release import render

    if args.json:
        output.json_out(_package_json(pr))
        return 0
    output.out(pr.decision.version)
    if args.explain:
        for line in render.lines(pr.decision, conf.policy.bumps):
            output.out(line)
    if not pr.release:
        output.err(f"no release of {pr.name}: {pr.decision.next.reason}")
    return 0


def _all(found: list[PackageRelease], args: argparse.Namespace) -> int:
    if args.json:
        output.json_out({"schema_version": 1, "packages": [_package_json(pr) for pr in found]})
        return 0
    changed = [pr for pr in found if pr.release]
    for pr in changed:
        output.out(f"{pr.name} {pr.decision.version}")
        if args.explain:
            _explain(pr)
    if not changed:
        output.err("no release: no package has a commit since its last release that warrants one")
    return 0


def _explain(pr: PackageRelease) -> None:
    from shipyard.release import render

    for line in render.lines(pr.decision):
        output.out(f"  {line}")
    if pr.because:
        output.out(f"    patch  because {', '.join(pr.because)} is released")


def _package_json(pr: PackageRelease) -> dict[str, Any]:
    from shipyard.release import render

    return {
        "schema_version": 1,
        "package": pr.name,
        "folder": pr.package.folder,
        **render.serialize(pr.decision),
        "because": list(pr.because),
    }
