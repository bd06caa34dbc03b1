"""The staged snapshot: while a pre-commit hook runs, the work tree holds what will be committed.

As pre-commit does, unstaged changes to tracked files are saved as a binary patch under the
state folder and removed from the work tree; afterwards (even after a failure or Ctrl-C) the
patch is applied again. Untracked files stay where they are: they are not part of the commit
and a check that looks at them is told so by the staged file list.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shipyard import output
from shipyard.errors import ToolError
from shipyard.git import Repo


def files(repo: Repo) -> list[str]:
    """Paths (from the repository root) that the commit adds, copies, modifies or renames."""
    out = repo.git("diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR")
    return [p for p in out.split("\0") if p]


@contextmanager
def snapshot(repo: Repo, folder: Path) -> Iterator[None]:
    """Hide the unstaged changes for the duration of the block; give them back afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    patch = folder / f"unstaged-{int(time.time())}-{os.getpid()}.patch"
    repo.git(
        "diff", "--binary", "--no-color", "--no-ext-diff", "--ignore-submodules",
        f"--output={patch}",
    )  # fmt: skip
    if patch.stat().st_size == 0:
        patch.unlink()
        yield
        return
    repo.git("checkout", "--", ".")
    try:
        yield
    finally:
        _give_back(repo, patch)


def _give_back(repo: Repo, patch: Path) -> None:
    try:
        repo.git("apply", "--whitespace=nowarn", str(patch))
    except ToolError:
        # a stage rewrote a file that also has unstaged changes: the user's changes win
        output.err("the hook's stages changed files that also had unstaged edits: their changes")
        output.err("  were dropped and your unstaged edits restored")
        repo.git("checkout", "--", ".")
        repo.git("apply", "--whitespace=nowarn", str(patch))
    patch.unlink()
