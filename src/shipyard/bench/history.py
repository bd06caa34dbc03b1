"""Find recorded runs in git: the baseline for a comparison, and a benchmark's history.

Runs are looked up by commit along the first-parent history of a ref, newest first. Files come
from the working tree and, for a branch other than the base, also from the base branch's tree
(so a pull request sees the base branch's newest results even if it was branched earlier).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from shipyard.bench.results import Run, commit_of, parse
from shipyard.bench.shape import read_text
from shipyard.bench.verdict import Job
from shipyard.git import Repo

SEARCH_DEPTH = 1000  # commits walked back to find recorded runs


class RunSource:
    """Result files of one machine, from the working tree and optionally one git ref."""

    def __init__(self, repo: Repo, folder: Path, ref: str | None = None) -> None:
        self.repo = repo
        self.folder = folder
        self.ref = ref
        self.files: dict[str, list[str]] = {}  # commit -> file names, oldest first
        self._from_ref: set[str] = set()
        self.foreign: list[Run] = []  # files here that record another machine
        self._scan()

    def _rel(self) -> str:
        return self.folder.resolve().relative_to(self.repo.root.resolve()).as_posix()

    def _scan(self) -> None:
        names = {p.name for p in self.folder.glob("*.json")} if self.folder.is_dir() else set()
        if self.ref and self.repo.rev_exists(self.ref):
            listed = self.repo.git("ls-tree", "--name-only", "-z", self.ref, self._rel() + "/")
            for path in filter(None, listed.split("\0")):
                name = path.rsplit("/", 1)[-1]
                if name.endswith(".json") and name not in names:
                    self._from_ref.add(name)
                    names.add(name)
        for name in sorted(names):
            self.files.setdefault(commit_of(name), []).append(name)

    def read(self, name: str) -> Run:
        if name in self._from_ref:
            text = self.repo.git("show", f"{self.ref}:{self._rel()}/{name}")
            where = f"{self.ref}:{self._rel()}/{name}"
        else:
            path = self.folder / name
            where = (
                str(path.relative_to(self.repo.root))
                if path.is_relative_to(self.repo.root)
                else str(path)
            )
            text = read_text(path, where)
        return parse(text, where)

    def runs_along(self, ref: str, limit: int) -> list[Run]:
        """Up to `limit` runs on the first-parent history of `ref`, oldest first.

        A file in this machine's folder that records another machine (copied or moved there by
        hand) is never part of this machine's history: it is kept apart in `self.foreign`.
        """
        found: list[Run] = []
        for commit in first_parent(self.repo, ref):
            for name in reversed(self.files.get(commit, [])):
                run = self.read(name)
                if run.machine != self.folder.name:
                    self.foreign.append(run)
                    continue
                found.append(run)
                if len(found) >= limit:
                    return found[::-1]
        return found[::-1]

    def foreign_warning(self) -> str | None:
        """One line naming the files of other machines that were left out, if any."""
        if not self.foreign:
            return None
        machines = sorted({r.machine or "unknown" for r in self.foreign})
        paths = ", ".join(r.path for r in self.foreign[:3]) + (" ..." if self.foreign[3:] else "")
        return (
            f"{len(self.foreign)} result file(s) in {self._rel()}/ record another machine "
            f"({', '.join(machines)}), not used as this machine's baseline: {paths}"
        )


def first_parent(repo: Repo, ref: str, depth: int = SEARCH_DEPTH) -> Iterator[str]:
    if not repo.rev_exists(ref):
        return iter(())
    out = repo.git("rev-list", "--first-parent", f"--max-count={depth}", ref)
    return iter(out.split())


def jobs(runs: list[Run], key: str) -> list[Job]:
    """The baseline jobs of one series; a flagged verdict on the base branch starts a level."""
    found = []
    for run in runs:
        series = run.get(key)
        if series is not None and series.samples:
            flagged = run.statuses.get(key) in ("warn", "fail", "improved") and run.base
            found.append(Job(run.commit, series.samples, new_level=flagged))
    return found
