"""Full changelog on 10,000 conventional commits and 1,000 tags: shipyard vs commitizen and
python-semantic-release, run side by side.

    python benchmarks/release_changelog.py [--runs 3] [--dir /tmp/shipyard-release-bench]

Prints the median wall time of each tool and its ratio to commitizen (the anchor). Goal:
under 0.6 s, about 3x faster than commitizen. Nothing is written: each tool prints or no-ops.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from release_history import configured, median_run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/shipyard-release-bench"))
    opts = ap.parse_args()
    big = configured(opts.dir / "big", 10_000, 1_000)
    tools = {
        "commitizen (cz changelog --dry-run)": [
            shutil.which("cz") or "cz",
            "changelog",
            "--dry-run",
        ],
        "python-semantic-release (--noop changelog)": [
            shutil.which("semantic-release") or "semantic-release",
            "--noop",
            "changelog",
        ],
        "shipyard changelog --full --stdout": [
            sys.executable,
            "-m",
            "shipyard",
            "changelog",
            "--full",
            "--stdout",
        ],
    }
    results = {name: median_run(args, big, opts.runs) for name, args in tools.items()}
    wall0, cpu0, _ = results["commitizen (cz changelog --dry-run)"]
    print(f"full changelog, {opts.runs} runs each, medians on {big} (ratio to commitizen)")
    for name, (wall, cpu, out) in results.items():
        print(
            f"  {name:44} wall {wall:6.3f} s x{wall / wall0:5.2f}  cpu {cpu:6.3f} s "
            f"x{cpu / cpu0:5.2f}  ({len(out.splitlines())} lines)"
        )


if __name__ == "__main__":
    main()
