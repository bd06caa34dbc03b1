"""`shipyard metrics` and `shipyard report --html` on 10,000 commits, 1,000 release tags and
2,000 recorded pipeline runs, against the anchors that bound their cost in the same go: one
`git log` over the whole history (what reading the deployments needs at least) and
`shipyard --version` (the start-up).

    python benchmarks/metrics_report.py [--runs 5] [--dir /tmp/shipyard-metrics-bench]

Prints each median and its ratio to `git log`. Goal: the report within 2x of `metrics`, and
both under 5 s on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_ms, report, time_command
from release_history import generate


def with_runs(repo: Path, count: int) -> Path:
    """Record `count` finished runs in the project's store (one in ten failed)."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
    from shipyard.store import Store

    store = Store(repo)
    if store.db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] >= count:
        return repo
    rnd = random.Random(7)
    with store.transaction() as tx:
        tx.executemany(
            "INSERT INTO runs (trigger, commit_sha, branch, started, duration, result) "
            "VALUES ('push', NULL, 'main', ?, ?, ?)",
            [
                (
                    1_600_000_000 + i * 300,
                    rnd.uniform(60, 900),
                    "failed" if i % 10 == 0 else "passed",
                )
                for i in range(count)
            ],
        )
    return repo


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/shipyard-metrics-bench"))
    opts = ap.parse_args()
    repo = with_runs(generate(opts.dir / "repo", 10_000, 1_000), 2_000)
    py = sys.executable
    page = opts.dir / "report.html"
    cases = {
        "git log (anchor)": ["git", "log", "--format=%ct%x09%s"],
        "shipyard --version": [py, "-m", "shipyard", "--version"],
        "shipyard metrics --json": [py, "-m", "shipyard", "metrics", "--json", "--days", "3650"],
        "shipyard report --html": [
            py,
            "-m",
            "shipyard",
            "report",
            "--html",
            "--days",
            "3650",
            "-o",
            str(page),
        ],
    }
    found = {
        name: time_command(args, cwd=repo, runs=opts.runs, warmup=1) for name, args in cases.items()
    }
    anchor = median_ms(found["git log (anchor)"])
    for name, samples in found.items():
        report(name, samples)
    for name in ("shipyard metrics --json", "shipyard report --html"):
        print(f"{name:<40} {median_ms(found[name]) / anchor:6.1f}x git log")
    print(f"report page: {page.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
