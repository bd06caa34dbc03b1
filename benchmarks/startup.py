"""`shipyard --version` start-up, beside pre-commit's and a bare interpreter, in one go.

Run: python benchmarks/startup.py [--runs 30]
Goal: median under 100 ms (the plan: < 1 s cold, < 200 ms warm; pre-commit ~130-200 ms).
"""

from __future__ import annotations

import argparse
import sys

from _common import median_ms, report, require, time_command


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    python = time_command([sys.executable, "-c", "pass"], runs=args.runs)
    shipyard = time_command([require("shipyard", "pip install ."), "--version"], runs=args.runs)
    precommit = time_command(
        [require("pre-commit", "pip install pre-commit"), "--version"], runs=args.runs
    )
    report("python -c pass (floor)", python)
    report("shipyard --version", shipyard)
    report("pre-commit --version (anchor)", precommit)
    print(f"ratio shipyard / pre-commit: {median_ms(shipyard) / median_ms(precommit):.2f}")
    print(f"shipyard above the bare interpreter: {median_ms(shipyard) - median_ms(python):.1f} ms")


if __name__ == "__main__":
    main()
