"""`shipyard monitor`: run the health checks, print them, and with `--notify` send the alerts.

The plan's alerts workflow runs this every 6 hours. Exit 1 when a check raises a high or
critical alert, 0 otherwise (also when delivery to a channel fails: that is printed).
"""

from __future__ import annotations

import argparse

from shipyard import config, logs, output
from shipyard.errors import UsageError
from shipyard.monitor.deliver import deliver
from shipyard.monitor.interface import Context
from shipyard.monitor.sources import SOURCES, read
from shipyard.notify.interface import Severity
from shipyard.notify.registry import channels
from shipyard.store import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--notify", action="store_true", help="send alerts to [notify] channels")
    parser.add_argument(
        "--only", action="append", choices=list(SOURCES), help="run only this check"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    definition = config.load(args.project)
    repeat, checks = read(definition, args.only)
    store = Store(definition.root)
    ctx = Context(definition, store)
    results = [check.run(ctx) for check in checks.values()]
    alerts = [a for r in results for a in r.alerts]
    sinks = channels(definition) if args.notify else []
    if args.notify and not sinks:
        raise UsageError(
            "--notify, but the definition has no [notify] channel",
            hint="see docs/monitoring.md for [notify.email], slack, discord, github",
        )
    deliveries = deliver(store, alerts, sinks, [r.name for r in results], repeat)
    for r in results:  # missing or stale data is kept in the local log for later reading
        if r.detail.startswith(("data missing:", "stale:")):
            logs.log(store, "warn", f"monitor {r.name}: {r.detail}", check=r.name)
    for d in deliveries:
        level = "warn" if d.outcome.startswith("error") else "info"
        logs.log(store, level, f"alert {d.outcome}", channel=d.channel, title=d.alert.title)
    if args.json:
        output.json_out(
            {
                "checks": [{"name": r.name, "ok": r.ok, "detail": r.detail} for r in results],
                "alerts": [
                    {
                        "severity": str(a.severity),
                        "source": a.source,
                        "title": a.title,
                        "body": a.body,
                        "fingerprint": a.fingerprint,
                    }
                    for a in alerts
                ],
                "deliveries": [
                    {"alert": d.alert.fingerprint, "channel": d.channel, "outcome": d.outcome}
                    for d in deliveries
                ],
            }
        )
    else:
        output.table(
            ("check", "status", "detail"),
            [(r.name, "ok" if r.ok else "ALERT", r.detail) for r in results],
        )
        for d in deliveries:
            output.out(f"{d.channel}: {d.outcome}: [{d.alert.severity}] {d.alert.title}")
    return 1 if any(a.severity >= Severity.HIGH for a in alerts) else 0
