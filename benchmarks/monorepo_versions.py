"""Per-package `version` and `changelog` on vite's history (9,620 commits, 1,041 tags, a pnpm
workspace of 3 released packages and ~250 private playground ones), against one package.

    python benchmarks/monorepo_versions.py [--repo /work/.mirror/vitejs+vite/repo] [--runs 5]

Clones the repository into --dir (once), adds the tag formats vite uses (`v{version}` for
vite, `name@{version}` for the others) in a shipyard.toml outside git's view, and prints the
median wall and CPU time (shipyard and its git children) of each command, with its ratio to
`version --package vite` (the one-package anchor). Issue 15's goals: every package's version
<= 0.3 s CPU, every changelog <= 1 s.

Measured 2026-12-02 (2 shared cores, --runs 3, CPU medians): version (every package) 0.163 s,
changelog --full (every package) 0.982 s. Of the latter, 0.54 s is git's three path-limited
walks (`git log --format=%H -- packages/X`, one per package, for `--full`'s attribution); a
repository with changed-path Bloom filters (`git commit-graph write --reachable
--changed-paths`, or `git maintenance`) gives 0.652 s. shipyard does not write them: the
repository is the user's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from release_history import median_run

DEFINITION = """\
[workspace]
tag-format = "{unscoped}@{version}"

[workspace.tag-formats]
vite = "v{version}"
"""


def prepare(source: str, dest: Path) -> Path:
    if not (dest / ".git").is_dir():
        subprocess.run(["git", "clone", "-q", source, str(dest)], check=True)
    (dest / "shipyard.toml").write_text(DEFINITION)
    exclude = dest / ".git" / "info" / "exclude"
    if "shipyard.toml" not in exclude.read_text():
        exclude.write_text(exclude.read_text() + "\nshipyard.toml\n.shipyard/\n")
    return dest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", default="/work/.mirror/vitejs+vite/repo")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/shipyard-vite-bench"))
    ap.add_argument("--runs", type=int, default=5)
    opts = ap.parse_args()
    root = prepare(opts.repo, opts.dir)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # measure shipyard, not its compilation
    shipyard = [sys.executable, "-m", "shipyard"]
    commands = {
        "version --package vite (anchor)": [*shipyard, "version", "--package", "vite"],
        "version (every package)": [*shipyard, "version"],
        "changelog --stdout --package vite": [
            *shipyard,
            "changelog",
            "--stdout",
            "--package",
            "vite",
        ],
        "changelog --stdout (every package)": [*shipyard, "changelog", "--stdout"],
        "changelog --full --stdout --package vite": [
            *shipyard,
            "changelog",
            "--full",
            "--stdout",
            "--package",
            "vite",
        ],
        "changelog --full --stdout (every package)": [*shipyard, "changelog", "--full", "--stdout"],
        "startup: shipyard --version": [*shipyard, "--version"],
    }
    results = {name: median_run(args, root, opts.runs) for name, args in commands.items()}
    wall0, cpu0, _ = results["version --package vite (anchor)"]
    print(f"vite monorepo, {opts.runs} runs each, medians on {root} (ratio to the anchor)")
    for name, (wall, cpu, out) in results.items():
        print(
            f"  {name:44} wall {wall:6.3f} s x{wall / wall0:5.2f}  cpu {cpu:6.3f} s "
            f"x{cpu / cpu0:5.2f}  ({len(out.splitlines())} lines)"
        )


if __name__ == "__main__":
    main()
