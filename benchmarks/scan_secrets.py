"""Secret-scanning throughput against detect-secrets, --staged latency, --history against git.

    python benchmarks/scan_secrets.py [TREE]

TREE defaults to the SQLAlchemy 2.0.36 sdist (fetched with `pip download` into a temporary
folder). Prints, for the same tree in the same go: files/s and MB/s of `shipyard scan secrets`
(median of 5) and of `detect-secrets scan --all-files` (1 run: it is slow), the ratio and
both finding counts; then the median of `--staged` on a commit of ten files and of `--history`
over a copy of the tree committed in 20 commits, against a bare `git log -p --all`.
Goals: ratio >= 100, --staged < 0.2 s, --history <= 1.5x `git log -p`.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHIPYARD = [sys.executable, "-m", "shipyard"]


def timed(args: list[str], cwd: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    cp = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if cp.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(args)}\n{cp.stderr}")
    return elapsed, cp.stdout


def fetch_tree(work: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--no-build-isolation",
            "sqlalchemy==2.0.36",
            "-d",
            str(work),
        ],
        check=True,
    )
    shutil.unpack_archive(next(work.glob("*.tar.gz")), work)
    return work / "sqlalchemy-2.0.36"


def throughput(tree: Path) -> None:
    runs = [timed([*SHIPYARD, "scan", "secrets", "--format", "json"], tree) for _ in range(5)]
    ours = statistics.median(r[0] for r in runs)
    stats = json.loads(runs[0][1])["scanners"][0]
    files, mb = stats["stats"]["files"], stats["stats"]["bytes"] / 1e6
    theirs, out = timed(["detect-secrets", "scan", "--all-files"], tree)
    ds_findings = sum(len(v) for v in json.loads(out)["results"].values())
    print(f"tree: {files} files, {mb:.1f} MB")
    print(
        f"shipyard:       {ours:7.2f} s  {files / ours:8.0f} files/s  {mb / ours:7.1f} MB/s"
        f"  {len(stats['findings'])} findings"
    )
    print(
        f"detect-secrets: {theirs:7.2f} s  {files / theirs:8.0f} files/s  "
        f"{mb / theirs:7.1f} MB/s  {ds_findings} findings"
    )
    print(f"ratio: {theirs / ours:.0f}x detect-secrets' throughput")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def staged_and_history(tree: Path, work: Path) -> None:
    repo = work / "repo"
    shutil.copytree(tree, repo)
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "b@example.invalid")
    git(repo, "config", "user.name", "bench")
    files = sorted(p for p in repo.rglob("*.py") if ".git" not in p.parts)
    for i in range(20):  # a history: the tree lands in 20 commits, then edits
        for p in files[i::20]:
            git(repo, "add", str(p.relative_to(repo)))
        git(repo, "commit", "-q", "-m", f"part {i}")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "rest")
    for p in files[:10]:
        p.write_text(p.read_text() + "\n# edited\nvalue = compute(1)\n")
    git(repo, "add", "-A")
    staged = statistics.median(
        timed([*SHIPYARD, "scan", "secrets", "--staged"], repo)[0] for _ in range(7)
    )
    floor = statistics.median(timed([*SHIPYARD, "--version"], repo)[0] for _ in range(7))
    bare = statistics.median(timed([sys.executable, "-c", "pass"], repo)[0] for _ in range(7))
    print(
        f"--staged on a 10-file commit: {staged * 1000:.0f} ms (goal < 200 ms); on this machine "
        f"now `shipyard --version` takes {floor * 1000:.0f} ms, "
        f"`python -c pass` {bare * 1000:.0f} ms"
    )
    hist = statistics.median(
        timed([*SHIPYARD, "scan", "secrets", "--history"], repo)[0] for _ in range(3)
    )
    logp = statistics.median(timed(["git", "log", "-p", "--all"], repo)[0] for _ in range(3))
    print(
        f"--history: {hist:.2f} s; git log -p --all: {logp:.2f} s; ratio {hist / logp:.2f}x "
        "(goal <= 1.5x)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tree = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else fetch_tree(work)
        throughput(tree)
        staged_and_history(tree, work)


if __name__ == "__main__":
    main()
