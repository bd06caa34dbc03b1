"""`shipyard version` and `shipyard changelog --full` on a real long history (vite: 9,620
commits, 1,041 tags, many of them per-package `create-app@1.0.0` tags), against `git log` over
the same history and the interpreter's start-up, run in the same go.

    python benchmarks/release_real.py [--repo /work/.mirror/vitejs+vite/repo] [--runs 5]

The repository is cloned to a temporary folder first (the tools only read it). Prints median
wall and CPU (user + sys, children included) of each. Goals: `changelog --full` <= 0.5 s CPU,
`version` <= 0.1 s CPU.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import wall_and_cpu

ROOT = Path(__file__).resolve().parents[1]
VITE = Path("/work/.mirror/vitejs+vite/repo")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", type=Path, default=VITE)
    ap.add_argument("--runs", type=int, default=5)
    opts = ap.parse_args()
    if not opts.repo.exists():
        sys.exit(f"{opts.repo} not found: name a clone of a long history with --repo")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    py = [sys.executable, "-m", "shipyard"]
    cases = {
        "git log --format=%H%x09%s (anchor)": ["git", "log", "--format=%H%x09%s"],
        "python -c pass": [sys.executable, "-c", "pass"],
        "shipyard --version (start-up)": [*py, "--version"],
        "shipyard version": [*py, "version"],
        "shipyard changelog --full --stdout": [*py, "changelog", "--full", "--stdout"],
    }
    goals = {"shipyard version": 0.1, "shipyard changelog --full --stdout": 0.5}
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        subprocess.run(["git", "clone", "-q", str(opts.repo), str(repo)], check=True)
        os.environ.clear()
        os.environ.update(env)
        found = {name: wall_and_cpu(args, cwd=repo, runs=opts.runs) for name, args in cases.items()}
    commits = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=opts.repo, capture_output=True, text=True
    ).stdout.strip()
    print(f"{opts.repo} ({commits} commits); medians of {opts.runs} runs, bytecode cached")
    anchor = found["git log --format=%H%x09%s (anchor)"][1]
    for name, (wall, cpu) in found.items():
        goal = goals.get(name)
        verdict = (
            "" if goal is None else ("  meets" if cpu <= goal else "  MISSES") + f" <= {goal} s CPU"
        )
        print(
            f"  {name:<38} wall {wall:6.3f} s  cpu {cpu:6.3f} s  "
            f"x{cpu / anchor:5.1f} git log{verdict}"
        )


if __name__ == "__main__":
    main()
