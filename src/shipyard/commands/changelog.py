"""`shipyard changelog`: add the next release's section to CHANGELOG.md, or regenerate it all."""

from __future__ import annotations

import argparse

from shipyard import output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--channel",
        choices=["alpha", "beta", "rc"],
        help="write the section of the next pre-release on this channel",
    )
    parser.add_argument(
        "--full", action="store_true", help="regenerate every release section from history"
    )
    parser.add_argument(
        "--stdout", action="store_true", help="print the result; leave the file as it is"
    )


def run(args: argparse.Namespace) -> int:
    from shipyard.release import changelog, notes, settings
    from shipyard.release.decide import decide
    from shipyard.store import write_atomic

    conf, root = settings.load(args.project)
    decision = decide(root, conf, args.channel)
    path = root / conf.changelog
    sections: list[str] = []
    if decision.next.release:
        upcoming = notes.next_release(root, conf, decision)
        sections = notes.render_all([upcoming], conf, root)
    elif not args.full:
        output.err(f"no release: {decision.next.reason}; {conf.changelog} is unchanged")
        return 0
    if args.full:
        sections += notes.render_all(notes.full(root, conf, decision.scheme), conf, root)
        text = changelog.replace_all(changelog.read(path), sections)
    else:
        text = changelog.insert(changelog.read(path), sections[0], decision.version)
    if args.stdout:
        output.out(text.rstrip("\n"))
        return 0
    write_atomic(path, text)
    output.err(f"wrote {path.relative_to(root)} ({decision.version if sections else 'history'})")
    return 0
