"""`shipyard cache stats|clean`: the content-addressed stage cache under `.shipyard/cache`."""

from __future__ import annotations

import argparse

from shipyard import output
from shipyard.config import parse_duration
from shipyard.errors import UsageError
from shipyard.store import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    stats = sub.add_parser("stats", help="entries, size and hits")
    stats.add_argument("--json", action="store_true", help="print the result as JSON")
    clean = sub.add_parser("clean", help="remove entries")
    clean.add_argument("--json", action="store_true", help="print the result as JSON")
    clean.add_argument(
        "--older-than", metavar="DURATION", help="only entries unused for this long, such as 48h"
    )


def run(args: argparse.Namespace) -> int:
    store = Store(args.project)
    if args.action == "stats":
        stats = store.cache_stats()
        if args.json:
            output.json_out(stats)
        else:
            output.out(
                f"entries: {stats['entries']}  size: {_size(stats['bytes'])}  "
                f"hits: {stats['hits']}  ({store.cache_dir})"
            )
        return 0
    older = None
    if args.older_than is not None:
        older = parse_duration(args.older_than)
        if older is None:
            raise UsageError(
                f'--older-than expects a duration such as "90m" or "48h", got {args.older_than!r}'
            )
    removed = store.cache_clean(older)
    if args.json:
        output.json_out({"removed": removed})
        return 0
    output.out(f"removed {removed} cache entr{'y' if removed == 1 else 'ies'}")
    return 0


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"
