"""`shipyard changelog`: add the next release's section to CHANGELOG.md, or regenerate it all.

In a monorepo each changed package's own CHANGELOG.md (in its folder) gets its section, with
only the changes that touch the package; `--package NAME` writes that one only."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from shipyard import output

if TYPE_CHECKING:
    from shipyard.release.changelog import Release
    from shipyard.release.decide import Decision
    from shipyard.release.settings import Settings


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
    parser.add_argument(
        "--package", metavar="NAME", help="in a monorepo: this package's changelog only"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    from shipyard.release import settings

    conf, root = settings.load(args.project)
    args.written = []  # what _write did, for --json
    code = _changelogs(root, conf, args)
    if args.json:
        output.json_out({"changelogs": args.written})
    return code


def _changelogs(root: Path, conf: Settings, args: argparse.Namespace) -> int:
    from shipyard.release import packages
    from shipyard.release.decide import decide

    ws = packages.monorepo(root, released_only=True)
    if ws is None:
        if args.package:
            from shipyard.errors import UsageError

            raise UsageError(
                f"--package {args.package}: {root} is not a monorepo (no workspace found)",
                hint="declare the packages in `[workspace] packages = [...]`, or drop --package",
            )
        return _write(root, root, conf, decide(root, conf, args.channel), args)
    found = packages.decide_all(ws, conf, args.channel)
    chosen = [packages.pick(found, ws, args.package)] if args.package else found
    if not args.package and not args.full:
        chosen = [pr for pr in chosen if pr.release]
        if not chosen:
            output.err(
                "no release: no package has a commit since its last release that warrants one"
            )
            return 0
    histories = packages.full_histories(ws, chosen, conf) if args.full else [[]] * len(chosen)
    for pr, history in zip(chosen, histories, strict=True):
        _write(root, pr.root, conf, pr.decision, args, history)
    return 0


def _write(
    root: Path,
    base: Path,
    conf: Settings,
    decision: Decision,
    args: argparse.Namespace,
    history: list[Release] | None = None,
) -> int:
    """Write (or print) the changelog under `base` (the project, or one package's folder)."""
    from shipyard.release import changelog, notes
    from shipyard.store import write_atomic

    path = base / conf.changelog
    shown = path.relative_to(root)
    sections: list[str] = []
    if decision.next.release:
        upcoming = notes.next_release(base, conf, decision)
        sections = notes.render_all([upcoming], conf, root)
    elif not args.full:
        output.err(f"no release: {decision.next.reason}; {shown} is unchanged")
        args.written.append({"path": str(shown), "version": None, "written": False})
        return 0
    if args.full:
        if history is None:
            history = notes.full(base, conf, decision.scheme)
        sections += notes.render_all(history, conf, root)
        text = changelog.replace_all(changelog.read(path), sections)
    else:
        text = changelog.insert(changelog.read(path), sections[0], decision.version)
    version = decision.version if decision.next.release else None
    if args.stdout:
        args.written.append({"path": str(shown), "version": version, "written": False})
        if args.json:
            args.written[-1]["text"] = text
        else:
            output.out(text.rstrip("\n"))
        return 0
    write_atomic(path, text)
    args.written.append({"path": str(shown), "version": version, "written": True})
    output.err(f"wrote {shown} ({decision.version if decision.next.release else 'history'})")
    return 0
