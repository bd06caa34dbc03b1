"""Next version on 10,000 conventional commits and 1,000 tags: shipyard vs commitizen and
python-semantic-release, run side by side; and how shipyard's cost scales with history.

    python benchmarks/release_version.py [--runs 5] [--dir /tmp/shipyard-release-bench]

Prints the median wall time of each tool and its ratio to commitizen (the anchor). Goal: under
0.25 s, about 3x faster than commitizen, and the same cost on a 10x shorter history with the
same number of commits since the last tag.
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
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/shipyard-release-bench"))
    opts = ap.parse_args()
    big = configured(opts.dir / "big", 10_000, 1_000)
    small = configured(opts.dir / "small", 1_000, 100)
    py = sys.executable
    tools = {
        "commitizen (cz bump --get-next)": [shutil.which("cz") or "cz", "bump", "--get-next"],
        "python-semantic-release (--noop version --print)": [
            shutil.which("semantic-release") or "semantic-release",
            "--noop",
            "version",
            "--print",
        ],
        "shipyard version": [py, "-m", "shipyard", "version"],
        "python startup (shipyard --version)": [py, "-m", "shipyard", "--version"],
    }
    results = {name: median_run(args, big, opts.runs) for name, args in tools.items()}
    wall0, cpu0, _ = results["commitizen (cz bump --get-next)"]
    print(f"next version, {opts.runs} runs each, medians on {big} (ratio to commitizen)")
    for name, (wall, cpu, out) in results.items():
        print(
            f"  {name:50} wall {wall:6.3f} s x{wall / wall0:5.2f}  cpu {cpu:6.3f} s "
            f"x{cpu / cpu0:5.2f}  -> {out.strip()[:12]}"
        )
    s_wall, s_cpu, _ = median_run(tools["shipyard version"], small, opts.runs)
    l_wall, l_cpu, _ = results["shipyard version"]
    print(
        f"scaling (20 commits since the last tag in both): shipyard version on 1,000 commits / "
        f"100 tags: wall {s_wall:.3f} s cpu {s_cpu:.3f} s; on 10,000 / 1,000: wall "
        f"{l_wall:.3f} s cpu {l_cpu:.3f} s (cpu ratio {l_cpu / s_cpu:.2f})"
    )


if __name__ == "__main__":
    main()
