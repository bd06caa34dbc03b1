"""`shipyard backup create|verify|restore|mirror`: the plan's disaster recovery."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from shipyard import output, recovery
from shipyard.archive import Limits
from shipyard.errors import CheckFailed, UsageError
from shipyard.git import Repo
from shipyard.store import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="write an archive: git bundle, run store, artifacts")
    create.add_argument(
        "-o", "--output", type=Path, help="archive path (default: .shipyard/backups/…)"
    )
    create.add_argument(
        "--artifacts",
        action="append",
        default=None,
        metavar="PATH",
        help="folders to include (default: dist)",
    )
    verify = sub.add_parser("verify", help="check an archive's checksums, bundle and store")
    verify.add_argument("archive", type=Path)
    restore = sub.add_parser("restore", help="clone an archive into a new folder")
    restore.add_argument("archive", type=Path)
    restore.add_argument("--to", type=Path, required=True, help="an empty or new folder")
    restore.add_argument(
        "--force", action="store_true", help="let artifacts replace files of the repository"
    )
    for p in (verify, restore):
        p.add_argument(
            "--max-size",
            type=_size,
            default=Limits().max_bytes,
            metavar="SIZE",
            help="refuse archives that expand to more (default: 4G)",
        )
    mirror = sub.add_parser("mirror", help="push every branch and tag to another remote")
    mirror.add_argument("remote", help="a remote name or URL")
    for p in (create, verify, restore, mirror):
        p.add_argument("--json", action="store_true", help="print the result as JSON")


def _size(text: str) -> int:
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    number, unit = (text[:-1], units[text[-1].upper()]) if text[-1:].upper() in units else (text, 1)
    try:
        return int(float(number) * unit)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a size such as 500M or 2G, got {text!r}"
        ) from None


def run(args: argparse.Namespace) -> int:
    if args.action == "verify":
        problems = recovery.verify(args.archive.resolve(), Limits(max_bytes=args.max_size))
        if args.json:
            output.json_out(
                {"archive": str(args.archive), "ok": not problems, "problems": problems}
            )
        if problems:
            raise CheckFailed(f"{args.archive} does not verify: {'; '.join(problems)}")
        if not args.json:
            output.out(f"{args.archive}: ok")
        return 0
    if args.action == "restore":
        manifest = recovery.restore(
            args.archive.resolve(), args.to.resolve(), args.force, Limits(max_bytes=args.max_size)
        )
        commit = str(manifest.get("commit") or "")
        if args.json:
            output.json_out({"archive": str(args.archive), "to": str(args.to), "commit": commit})
        else:
            output.out(f"restored {commit[:10]} into {args.to}")
        return 0
    repo = Repo.find(args.project)
    if repo is None:
        raise UsageError(f"{args.project} is not in a git repository")
    if args.action == "mirror":
        pushed = recovery.mirror(repo, args.remote).strip()
        if args.json:
            output.json_out({"remote": args.remote, "git": pushed})
        else:
            output.out(pushed)
        return 0
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    store = Store(repo.root)
    name = f"{repo.root.name}-{stamp}.tar.gz"
    out = (args.output or store.folder("backups") / name).resolve()
    summary = recovery.create(repo, store, out, args.artifacts or ["dist"])
    if args.json:
        output.json_out(
            {
                "archive": str(out),
                "bytes": out.stat().st_size,
                "commit": summary.commit,
                "refs": summary.refs,
                "artifacts": list(summary.artifacts),
            }
        )
        return 0
    kept = ", ".join(summary.artifacts) or "none"
    output.out(f"wrote {out} ({out.stat().st_size} bytes; {summary.refs} refs; artifacts: {kept})")
    return 0
