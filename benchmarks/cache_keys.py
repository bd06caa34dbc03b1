"""Cache keys over a big tree: `shipyard run` of one stage whose inputs are 100,000 files,
untracked in a git repository, tracked, and in a folder outside git; against git reading the
same tree in the same go.

    python benchmarks/cache_keys.py [--files 100000] [--runs 3]

For each layout, the first run (nothing remembered: every untracked file is read) and the
median of the next `runs` (the stage is a cache hit; files unchanged since the last run are
known by their stat data and not read). Anchors: `git status --untracked-files=all` (listing
the tree, the least any key needs) and `git hash-object --stdin-paths` over every file (git
hashing it all once). Prints wall and CPU seconds (user + sys, children included): on a
loaded machine CPU is the figure that compares. Goal: a warm run under 3 s at 100,000 files.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import wall_and_cpu

DEFINITION = '[stages.use]\nrun = "true"\ninputs = ["data/**"]\n'


def tree(root: Path, files: int) -> list[str]:
    """`files` small files, 200 to a folder, and the one-stage definition."""
    names = [f"data/d{i // 200}/f{i % 200}.txt" for i in range(files)]
    for i, name in enumerate(names):
        path = root / name
        if i % 200 == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"row {i}\n" * 20)
    (root / "shipyard.toml").write_text(DEFINITION)
    return names


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def shipyard_runs(root: Path, runs: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """(first run, median of the next `runs`): wall and CPU seconds."""
    cmd = [sys.executable, "-m", "shipyard", "run", "--json"]
    shutil.rmtree(root / ".shipyard", ignore_errors=True)
    first = wall_and_cpu(cmd, cwd=root, runs=1, warmup=0)
    return first, wall_and_cpu(cmd, cwd=root, runs=runs, warmup=0)


def show(name: str, figures: tuple[float, float], goal: bool = False) -> None:
    wall, cpu = figures
    verdict = ("  meets < 3 s" if wall < 3 else "  MISSES < 3 s (wall)") if goal else ""
    print(f"  {name:<52} wall {wall:7.2f} s  cpu {cpu:7.2f} s{verdict}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "tree"
        root.mkdir()
        names = tree(root, opts.files)
        git(root, "init", "-q", "-b", "main")
        (root / ".git/info/exclude").write_text(".shipyard/\n")
        git(root, "add", "shipyard.toml")
        git(root, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "definition")
        listing = ["git", "status", "--porcelain", "-z", "--untracked-files=all"]
        hashing = "\n".join(names) + "\n"
        print(f"{opts.files} input files; first run, then the median of {opts.runs} warm runs")
        print("untracked, in a git repository:")
        show("git status --untracked-files=all (anchor)", wall_and_cpu(listing, cwd=root))
        show(
            "git hash-object --stdin-paths, every file (anchor)",
            _hash_object(root, hashing),
        )
        first, warm = shipyard_runs(root, opts.runs)
        show("shipyard run, first (every file read)", first)
        show("shipyard run, warm (stat data remembered)", warm, goal=True)
        print("tracked (committed):")
        git(root, "add", "-A")
        git(root, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "data")
        first, warm = shipyard_runs(root, opts.runs)
        show("shipyard run, first (hashes from the index)", first)
        show("shipyard run, warm", warm, goal=True)
        print("outside git:")
        shutil.rmtree(root / ".git")
        first, warm = shipyard_runs(root, opts.runs)
        show("shipyard run, first (every file read)", first)
        show("shipyard run, warm (stat data remembered)", warm, goal=True)


def _hash_object(root: Path, paths: str) -> tuple[float, float]:
    import resource
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        ["git", "hash-object", "--stdin-paths"],
        cwd=root,
        input=paths.encode(),
        capture_output=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


if __name__ == "__main__":
    main()
