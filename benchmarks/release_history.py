"""Generate a repository of N conventional commits and T release tags with `git fast-import`.

Used by benchmarks/release_version.py and release_changelog.py; alone:
    python benchmarks/release_history.py DIR
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

TYPES = ["feat", "fix", "fix", "perf", "chore", "docs", "refactor", "test", "ci", "build"]
SCOPES = ["core", "cli", "api", "docs", None]


def stream(commits: int, tags: int, seed: int = 4) -> str:
    """A fast-import stream: one file changed per commit, a tag every commits/tags commits."""
    rnd = random.Random(seed)
    every = max(1, commits // tags)
    major, minor, patch = 0, 1, 0
    parts: list[str] = []
    for i in range(1, commits + 1):
        kind = rnd.choice(TYPES)
        scope = rnd.choice(SCOPES)
        head = f"{kind}({scope}): change number {i}" if scope else f"{kind}: change number {i}"
        msg = f"{head}\n\nBody of change {i}, explaining why.\n"
        if i % 997 == 0:
            msg += "\nBREAKING CHANGE: the API changed\n"
        data = f"line {i}\n"
        parts.append(
            f"commit refs/heads/main\nmark :{i}\n"
            f"committer Bench <b@example.invalid> {1_600_000_000 + i * 60} +0000\n"
            f"data {len(msg.encode())}\n{msg}"
            + (f"from :{i - 1}\n" if i > 1 else "")
            + f"M 644 inline file{i % 50}.txt\ndata {len(data)}\n{data}\n"
        )
        if i % every == 0:
            if i % 997 == 0:
                major, minor, patch = major + 1, 0, 0
            elif kind == "feat":
                minor, patch = minor + 1, 0
            else:
                patch += 1
            tag_msg = f"release {major}.{minor}.{patch}"
            parts.append(
                f"tag v{major}.{minor}.{patch}\nfrom :{i}\n"
                f"tagger Bench <b@example.invalid> {1_600_000_000 + i * 60} +0000\n"
                f"data {len(tag_msg)}\n{tag_msg}\n"
            )
    return "".join(parts)


def generate(path: Path, commits: int = 10_000, tags: int = 1_000, tail: int = 20) -> Path:
    """The repository at `path`, created once; `tail` unreleased commits follow the last tag."""
    if (path / ".git").is_dir():
        return path
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    data = stream(commits, tags) + stream_tail(commits, tail)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=data.encode(), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=path, check=True)
    # a clone has its refs packed (with peeled tags); fast-import leaves 1,000 loose files
    subprocess.run(["git", "pack-refs", "--all"], cwd=path, check=True)
    return path


def stream_tail(after: int, n: int) -> str:
    parts = []
    for j in range(1, n + 1):
        i = after + j
        msg = f"fix: unreleased change {j}\n"
        parts.append(
            f"commit refs/heads/main\nmark :{i}\n"
            f"committer Bench <b@example.invalid> {1_600_000_000 + i * 60} +0000\n"
            f"data {len(msg)}\n{msg}from :{i - 1}\n\n"
        )
    return "".join(parts)


TOOL_CONFIG = """\
[project]
name = "bench"
version = "0.0.0"

[tool.commitizen]
name = "cz_conventional_commits"
version_provider = "scm"
tag_format = "v$version"
version_scheme = "semver"

[tool.semantic_release]
tag_format = "v{version}"
commit_parser = "conventional"

[tool.semantic_release.branches.main]
match = "main"

[tool.shipyard.release]
scheme = "semver"
"""


def configured(path: Path, commits: int = 10_000, tags: int = 1_000) -> Path:
    """The generated repository with commitizen, python-semantic-release and shipyard set up."""
    fresh = not (path / ".git").is_dir()
    generate(path, commits, tags)
    if fresh:
        (path / "pyproject.toml").write_text(TOOL_CONFIG)
        env = ["-c", "user.name=Bench", "-c", "user.email=b@example.invalid"]
        subprocess.run(["git", *env, "add", "pyproject.toml"], cwd=path, check=True)
        subprocess.run(
            ["git", *env, "commit", "-q", "-m", "chore: configure the tools"], cwd=path, check=True
        )
        # python-semantic-release wants a remote; nothing is fetched from it
        subprocess.run(
            ["git", "remote", "add", "origin", "https://github.com/acme/bench.git"],
            cwd=path,
            check=True,
        )
    return path


def median_run(args: list[str], cwd: Path, runs: int) -> tuple[float, float, str]:
    """Median wall and CPU (user + sys of the tool and its children) seconds of `runs` runs,
    after one warm-up, and the last run's stdout. CPU time stays meaningful on a busy machine."""
    import resource
    import statistics
    import time

    walls: list[float] = []
    cpus: list[float] = []
    out = ""
    for i in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        cp = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if i:
            walls.append(wall)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        out = cp.stdout if cp.returncode == 0 else f"exit {cp.returncode}: {cp.stderr[-200:]}"
    return statistics.median(walls), statistics.median(cpus), out


if __name__ == "__main__":
    print(generate(Path(sys.argv[1])))
