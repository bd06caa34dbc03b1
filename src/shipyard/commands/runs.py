"""`shipyard runs [[show] ID]`: the run history recorded in the store."""

from __future__ import annotations

import argparse
import datetime as dt

from shipyard import output
from shipyard.config import format_duration
from shipyard.errors import UsageError
from shipyard.pipeline import history
from shipyard.store import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "words",
        nargs="*",
        metavar="[show] ID",
        help="one run with its stages and tests (`runs 3` is `runs show 3`)",
    )
    parser.add_argument("-n", "--limit", type=int, default=20, help="how many runs (default 20)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _run_id(words: list[str]) -> int | None:
    """None for the list; the run id of `ID` or `show ID`."""
    rest = words[1:] if words[:1] == ["show"] else words
    if not words:
        return None
    if len(rest) != 1 or not rest[0].isdigit():
        raise UsageError(
            f"shipyard runs {' '.join(words)}: expected a run id",
            hint="`shipyard runs` lists the runs; `shipyard runs 3` (or `runs show 3`) shows one",
        )
    return int(rest[0])


def run(args: argparse.Namespace) -> int:
    store = Store(args.project)
    run_id = _run_id(args.words)
    if run_id is not None:
        data = history.get_run(store, run_id)
        if args.json:
            output.json_out(data)
            return 0
        r = data["run"]
        when = dt.datetime.fromtimestamp(r["started"]).strftime("%Y-%m-%d %H:%M:%S")
        output.out(
            f"run {r['id']}: {r['result']} · trigger {r['trigger']} · "
            f"{r['branch'] or '-'} @ {(r['commit_sha'] or '-')[:10]} · {when} · "
            f"{format_duration(r['duration'] or 0)}"
        )
        output.table(
            ("stage", "status", "duration", "budget", "over budget", "cache", "exit"),
            [
                (
                    s["name"],
                    s["status"],
                    format_duration(s["duration"]),
                    format_duration(s["budget"]) if s["budget"] else "",
                    "yes" if s["over_budget"] else "",
                    "hit" if s["cache_hit"] else "",
                    "" if s["exit_code"] is None else s["exit_code"],
                )
                for s in data["stages"]
            ],
        )
        t = data["tests"]
        if t["tests"]:
            output.out(
                f"tests: {t['tests']}, failures: {t['failures']}, "
                f"time: {format_duration(t['duration'])}"
            )
        return 0
    runs = history.list_runs(store, args.limit)
    if args.json:
        output.json_out(runs, key="runs")
        return 0
    if not runs:
        output.out("no runs recorded yet; `shipyard run` records one")
        return 0
    output.table(
        ("id", "result", "trigger", "branch", "commit", "started", "duration", "stages"),
        [
            (
                r["id"],
                r["result"],
                r["trigger"],
                r["branch"] or "",
                (r["commit_sha"] or "")[:10],
                history.age(r["started"]),
                format_duration(r["duration"] or 0),
                r["stages"],
            )
            for r in runs
        ],
    )
    return 0
