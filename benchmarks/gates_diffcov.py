"""Benchmark: `shipyard gate` (changed-lines coverage + every gate) against diff-cover.

Builds a synthetic repository (FILES modules of LINES lines, a branch changing a quarter of
them) and a Cobertura report, then prints the median wall time of several runs of each tool on
the same inputs, and their ratio. Run: python benchmarks/gates_diffcov.py [FILES] [LINES]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5


def sh(*args: str, cwd: Path) -> None:
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)


def build(root: Path, files: int, lines: int) -> None:
    sh("git", "init", "-q", "-b", "main", cwd=root)
    src = root / "src"
    src.mkdir()
    for i in range(files):
        (src / f"m{i}.py").write_text("".join(f"x{n} = {n}\n" for n in range(lines)))
    sh("git", "add", "-A", cwd=root)
    sh("git", "commit", "-qm", "base", cwd=root)
    sh("git", "checkout", "-q", "-b", "feature", cwd=root)
    for i in range(0, files, 4):
        body = "".join(f"x{n} = {n * 2}\n" if n % 3 == 0 else f"x{n} = {n}\n" for n in range(lines))
        (src / f"m{i}.py").write_text(body)
    sh("git", "commit", "-qam", "change", cwd=root)
    classes = []
    for i in range(files):
        rows = "".join(f'<line number="{n + 1}" hits="{n % 2}"/>' for n in range(lines))
        classes.append(f'<class name="m{i}.py" filename="m{i}.py"><lines>{rows}</lines></class>')
    (root / "coverage.xml").write_text(
        f'<?xml version="1.0" ?><coverage lines-valid="{files * lines}" '
        f'lines-covered="{files * lines // 2}"><sources><source>{src}</source></sources>'
        f'<packages><package name="src"><classes>{"".join(classes)}</classes></package>'
        "</packages></coverage>"
    )
    (root / "shipyard.toml").write_text("[gates]\n")


def median(args: list[str], cwd: Path) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        subprocess.run(args, cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    lines = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ.setdefault("GIT_AUTHOR_NAME", "bench")
        os.environ.setdefault("GIT_AUTHOR_EMAIL", "bench@example.invalid")
        os.environ.setdefault("GIT_COMMITTER_NAME", "bench")
        os.environ.setdefault("GIT_COMMITTER_EMAIL", "bench@example.invalid")
        build(root, files, lines)
        ours = median([sys.executable, "-m", "shipyard", "gate", "--format", "json"], root)
        anchor = median(
            [
                sys.executable,
                "-m",
                "diff_cover.diff_cover_tool",
                "coverage.xml",
                "--compare-branch=main",
                "--format",
                f"json:{root / 'dc.json'}",
            ],
            root,
        )
    print(f"{files} files x {lines} lines, {files // 4} changed; median of {RUNS} runs")
    print(f"shipyard gate: {ours * 1000:.0f} ms")
    print(f"diff-cover:    {anchor * 1000:.0f} ms")
    print(f"ratio shipyard/diff-cover: {ours / anchor:.2f}")


if __name__ == "__main__":
    main()
