"""The pipeline engine's cost: a fully cached re-run, and the overhead per stage against make.

Run: python benchmarks/pipeline.py [--runs 10] [--stages 20]

1. Fully cached re-run of a 3-stage pipeline (goal: under 0.5 s), beside `shipyard --version`.
2. Engine overhead: N trivial stages (`true`) in a chain, run by shipyard with --no-cache and by
   `make` with the same commands; the per-stage difference and the ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from _common import median_ms, report, require, time_command

THREE = """
[stages.lint]
run = "cat src/*.py > lint.out"
inputs = ["src/**"]
outputs = ["lint.out"]
[stages.build]
run = "mkdir -p dist && cp src/*.py dist/"
inputs = ["src/**"]
outputs = ["dist"]
needs = ["lint"]
[stages.test]
run = "ls dist > test.out"
inputs = ["src/**", "tests/**"]
outputs = ["test.out"]
needs = ["build"]
"""


def git_project(root: Path, definition: str, files: int = 200) -> None:
    (root / "src").mkdir(parents=True)
    (root / "tests").mkdir()
    for i in range(files):
        (root / "src" / f"mod{i}.py").write_text(f"X = {i}\n" * 50)
    (root / "shipyard.toml").write_text(definition)
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "init"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--stages", type=int, default=20)
    args = parser.parse_args()
    shipyard = require("shipyard", "pip install .")
    make = require("make", "apt-get install make")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "three"
        git_project(root, THREE)
        subprocess.run([shipyard, "run"], cwd=root, check=True, capture_output=True)
        version = time_command([shipyard, "--version"], runs=args.runs)
        cached = time_command([shipyard, "run"], cwd=root, runs=args.runs)
        report("shipyard --version", version)
        report("fully cached re-run, 3 stages, 200 files", cached)
        verdict = "meets" if median_ms(cached) < 500 else "MISSES"
        print(f"  {verdict} the 0.5 s goal")

        chain = Path(tmp) / "chain"
        n = args.stages
        stages = "".join(
            f'[stages.s{i}]\nrun = "true"\n' + (f'needs = ["s{i - 1}"]\n' if i else "")
            for i in range(n)
        )
        git_project(chain, stages, files=1)
        (chain / "Makefile").write_text(
            f"all: s{n - 1}\n"
            + "".join(
                f"s{i}:{' s' + str(i - 1) if i else ''}\n\t@true\n.PHONY: s{i}\n" for i in range(n)
            )
        )
        ours = time_command(
            [shipyard, "run", "--no-cache", "--jobs", "1"], cwd=chain, runs=args.runs
        )
        theirs = time_command([make, "-s", "-C", str(chain)], runs=args.runs)
        report(f"shipyard: {n} chained `true` stages", ours)
        report(f"make (anchor): {n} chained `true` targets", theirs)
        per_stage = (median_ms(ours) - median_ms(version)) / n
        print(
            f"ratio shipyard / make: {median_ms(ours) / median_ms(theirs):.1f}x; "
            f"engine overhead per stage beyond start-up: {per_stage:.1f} ms"
        )


if __name__ == "__main__":
    main()
