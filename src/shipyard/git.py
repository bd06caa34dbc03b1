"""The one place that talks to git.

Everything is read through `git` subprocesses with `-z` output where paths are involved, so
file names with spaces or newlines survive.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shipyard import proc
from shipyard.errors import ToolError, UsageError

HINT = "git failed. Is it installed, and are you in a Git repository?"
_C_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def unquote(name: str) -> str:
    """A path as git prints it outside `-z` back to the name: git C-quotes unusual names
    ("a\\tb", octal bytes "caf\\303\\251" with core.quotePath, raw UTF-8 without it). Bytes
    that are not UTF-8 are kept with surrogateescape, as the `-z` readers keep them."""
    if len(name) < 2 or not (name.startswith('"') and name.endswith('"')):
        return name
    raw, out, i = name[1:-1].encode("utf-8", "surrogateescape"), bytearray(), 0
    while i < len(raw):
        if raw[i] != 0x5C or i + 1 == len(raw):
            out.append(raw[i])
            i += 1
        elif raw[i + 1 : i + 4].isdigit() and len(raw[i + 1 : i + 4]) == 3:
            out.append(int(raw[i + 1 : i + 4], 8) & 0xFF)
            i += 4
        else:
            out.append(_C_ESCAPES.get(chr(raw[i + 1]), raw[i + 1]))
            i += 2
    return out.decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class Repo:
    root: Path

    @classmethod
    def find(cls, start: Path) -> Repo | None:
        """The repository containing `start`, or None when it is not inside one."""
        try:
            out = proc.run(["git", "rev-parse", "--show-toplevel"], cwd=start, check=False)
        except ToolError:
            return None
        if out.returncode != 0:
            return None
        return cls(Path(out.stdout.strip()))

    def git(
        self, *args: str, check: bool = True, input: str | None = None, errors: str = "replace"
    ) -> str:
        try:
            return proc.run(
                ["git", *args], cwd=self.root, check=check, input=input, errors=errors
            ).stdout
        except proc.ProcessError as exc:
            raise ToolError(exc.message, hint=HINT) from exc

    def head(self) -> str | None:
        out = self.git("rev-parse", "--verify", "-q", "HEAD", check=False).strip()
        return out or None

    def branch(self) -> str | None:
        out = self.git("symbolic-ref", "-q", "--short", "HEAD", check=False).strip()
        return out or None

    def default_branch(self) -> str:
        """The repository's default branch: origin's HEAD, else the current branch, else main.

        Every place that used to assume `main` (gates' base, monitor, generated workflows,
        benchmarks' base) asks this instead, so a `master` repository works unconfigured.
        """
        remote = self.git(
            "symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD", check=False
        ).strip()
        if remote.startswith("origin/") and remote != "origin/HEAD":
            return remote.removeprefix("origin/")
        for name in ("main", "master"):
            if self.git("rev-parse", "--verify", "-q", f"refs/heads/{name}", check=False):
                return name
        return self.branch() or "main"

    def rev_exists(self, rev: str) -> bool:
        return bool(self.git("rev-parse", "--verify", "-q", f"{rev}^{{commit}}", check=False))

    def require_rev(self, rev: str) -> str:
        sha = self.git("rev-parse", "--verify", "-q", f"{rev}^{{commit}}", check=False).strip()
        if not sha:
            raise UsageError(f"git revision {rev!r} does not exist in {self.root}")
        return sha

    def index_blobs(self) -> dict[str, str]:
        """Tracked path -> blob hash as recorded in the index (cheap: no file is read)."""
        blobs: dict[str, str] = {}
        for entry in self.git("ls-files", "-s", "-z").split("\0"):
            if not entry:
                continue
            meta, path = entry.split("\t", 1)
            blobs[path] = meta.split()[1]
        return blobs

    def dirty_paths(self) -> list[str]:
        """Paths whose working-tree content differs from the index, plus untracked files."""
        changed, untracked = self.status_paths()
        return changed + untracked

    def status_paths(self) -> tuple[list[str], list[str]]:
        """(paths whose working-tree content differs from the index, untracked files)."""
        out = self.git("status", "--porcelain=v1", "-z", "--untracked-files=all")
        changed: list[str] = []
        untracked: list[str] = []
        entries = iter(out.split("\0"))
        for entry in entries:
            if not entry:
                continue
            status, path = entry[:2], entry[3:]
            (untracked if status == "??" else changed).append(path)
            if "R" in status or "C" in status:
                next(entries, None)  # the rename's source path follows
        return changed, untracked

    def hash_files(self, paths: list[str]) -> dict[str, str]:
        """Blob hashes of working-tree files, as git would store them."""
        if not paths:
            return {}
        out = self.git("hash-object", "--stdin-paths", input="\n".join(paths) + "\n")
        return dict(zip(paths, out.split(), strict=True))

    def changed_since(self, ref: str) -> list[str]:
        """Files that differ between `ref` and the working tree, untracked ones included."""
        self.require_rev(ref)
        out = self.git("diff", "--name-only", "-z", ref)
        changed = {p for p in out.split("\0") if p}
        untracked = self.git("ls-files", "--others", "--exclude-standard", "-z")
        changed.update(p for p in untracked.split("\0") if p)
        return sorted(changed)

    def merge_base(self, a: str, b: str = "HEAD") -> str | None:
        out = self.git("merge-base", a, b, check=False).strip()
        return out or None


def default_branch_at(path: Path) -> str:
    """The default branch of the repository holding `path` (main outside any repository):
    what settings that name a base branch fall back to when the definition names none."""
    repo = Repo.find(path)
    return repo.default_branch() if repo is not None else "main"
