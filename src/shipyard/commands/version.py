"""`shipyard version`: print the next version that the conventional commits warrant."""

from __future__ import annotations

import argparse

from shipyard import output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--channel",
        choices=["alpha", "beta", "rc"],
        help="a pre-release on this channel (default: a final release)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="list the commits that decided the version"
    )
    parser.add_argument("--json", action="store_true", help="print the decision as JSON")


def run(args: argparse.Namespace) -> int:
    from shipyard.release import explain, settings
    from shipyard.release.decide import decide

    conf, root = settings.load(args.project)
    decision = decide(root, conf, args.channel)
    if args.json:
        output.json_out(explain.serialize(decision))
        return 0
    output.out(decision.version)
    if args.explain:
        for line in explain.lines(decision, conf.policy.bumps):
            output.out(line)
    if not decision.next.release:
        output.err(f"no release: {decision.next.reason}; {decision.version} is the current version")
    return 0
