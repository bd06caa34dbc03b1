"""Where secret scanning reads from: the working tree, the staged lines, every blob in history.

The working tree is listed through git when there is a repository (so .gitignore holds) and
walked otherwise; symlinks are never followed, every file is read whatever its size or bytes,
and anything that cannot be read is returned as skipped, with why.
`--staged` reads only the lines a commit adds. `--history` lists the blobs each commit adds
(`git log --raw`) and reads each distinct blob once through one `git cat-file --batch`, which
is cheaper than having git generate every patch; each blob is streamed from that pipe, so a
large one is scanned in windows, as a large file of the working tree is.
"""

from __future__ import annotations

import io
import os
import re
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from shipyard import proc
from shipyard.errors import ToolError
from shipyard.git import HINT, Repo, unquote
from shipyard.security.interface import Skipped

PRUNE = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".shipyard", ".tox"})
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


@dataclass(frozen=True)
class Fragment:
    """Text to scan: `path`, optional `commit`, and the file line of each fragment line."""

    path: str
    data: bytes
    commit: str | None = None
    lines: tuple[int, ...] | None = None  # None: the fragment is the whole file

    def file_line(self, line: int) -> int:
        return self.lines[line - 1] if self.lines else line


def tree_files(root: Path) -> list[str]:
    """Repository-relative paths of the files to scan in the working tree."""
    repo = Repo.find(root)
    if repo is not None and repo.root.resolve() == root.resolve():
        # a file name that is not UTF-8 keeps its bytes (as surrogates), so it can be opened
        out = repo.git(
            "ls-files", "-z", "--cached", "--others", "--exclude-standard", errors="surrogateescape"
        )
        return sorted({p for p in out.split("\0") if p})
    found: list[str] = []
    for top, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in PRUNE)
        rel = Path(top).relative_to(root)
        found += [(rel / f).as_posix() for f in sorted(files)]
    return found


def shown(rel: str) -> str:
    """A file name as findings show it: bytes that are not UTF-8 written as `\\xe9`."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def open_file(root: Path, rel: str, max_size: int | None) -> tuple[BinaryIO | None, Skipped | None]:
    """The content to scan as a binary stream, or None and why not (None, None: nothing there).

    Every regular file is read, whatever its size or bytes (a NUL byte does not make a text
    file unscannable); a symlink is never followed: its content is its target, as git stores
    it. Only a size limit the definition sets (`max-file-size`) skips a file without failing."""
    path = root / rel
    try:
        st = path.lstat()
        # git lists a symlink as a file and never descends into a linked folder, and the walk
        # does not follow links, so checking the entry itself keeps us inside the repository
        if stat.S_ISLNK(st.st_mode):
            return io.BytesIO(os.readlink(os.fsencode(path))), None
        if not stat.S_ISREG(st.st_mode):
            return None, Skipped(rel, "not a regular file")
        if max_size is not None and st.st_size > max_size:
            return None, Skipped(rel, f"larger than max-file-size ({max_size} bytes)", True)
        return path.open("rb"), None
    except FileNotFoundError:
        return None, None  # listed by git, deleted from the working tree: no content
    except OSError as exc:
        return None, Skipped(rel, f"unreadable: {exc.strerror}")


def staged(repo: Repo) -> list[Fragment]:
    """The lines the next commit adds, one fragment per file, as `git diff --cached` shows."""
    out = repo.git(
        "diff",
        "--cached",
        "-U0",
        "--no-color",
        "--no-ext-diff",
        "--no-renames",
        "--diff-filter=ACM",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        errors="surrogateescape",  # content and names that are not UTF-8 keep their bytes
    )
    fragments: list[Fragment] = []
    path: str | None = None
    added: list[str] = []
    numbers: list[int] = []
    line_no = 0
    for line in out.split("\n"):  # not splitlines: \f, \x1c or U+2028 in a line is content
        if line.startswith("+++ "):
            _flush(fragments, path, added, numbers)
            path, added, numbers = _target(line), [], []
        elif line.startswith("@@"):
            m = _HUNK.match(line)
            line_no = int(m.group(1)) if m else 0
        elif line.startswith("+") and path is not None:
            added.append(line[1:])
            numbers.append(line_no)
            line_no += 1
    _flush(fragments, path, added, numbers)
    return fragments


def staged_paths(repo: Repo) -> list[str]:
    """The files the next commit adds or changes, binary ones included."""
    out = repo.git(
        "diff",
        "--cached",
        "--name-only",
        "--no-renames",
        "--diff-filter=ACM",
        "-z",
        errors="surrogateescape",
    )
    return [shown(p) for p in out.split("\0") if p]


def _target(line: str) -> str | None:
    target = unquote(line[4:].rstrip("\t"))  # git ends names holding a space with a tab
    return shown(target[2:]) if target.startswith("b/") else None


def _flush(out: list[Fragment], path: str | None, added: list[str], numbers: list[int]) -> None:
    if path is not None and added:
        data = "\n".join(added).encode("utf-8", "surrogateescape")
        out.append(Fragment(path, data, None, tuple(numbers)))


@dataclass(frozen=True)
class History:
    """What history added, oldest commit first: each distinct blob once (`blobs`: commit,
    path, blob), whose content is all there is to scan, and every (commit, path) that added
    or changed a file (`added`), since a name alone can be a secret (a .p12 bundle) even
    when its content was seen under another name."""

    blobs: list[tuple[str, str, str]]
    added: list[tuple[str, str]]


def history_blobs(repo: Repo) -> History:
    """Every blob each commit of every ref adds, oldest commit first."""
    out = repo.git(
        "log",
        "--all",
        "--reverse",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "--diff-filter=AM",
        "--format=%x01%H",
        "-z",
        errors="surrogateescape",  # a name that is not UTF-8 keeps its bytes
    )
    seen: set[str] = set()
    history = History([], [])
    commit = ""
    tokens = iter(out.split("\0"))
    for token in tokens:
        token = token.lstrip("\n")
        if token.startswith("\x01"):
            commit = token[1:]
        elif token.startswith(":"):
            meta, path = token.split(), shown(next(tokens, ""))
            blob, mode = meta[3], meta[1]
            if mode.startswith("160"):  # submodules have no blob here
                continue
            history.added.append((commit, path))
            if blob not in seen:
                seen.add(blob)
                history.blobs.append((commit, path, blob))
    return history


def read_blobs(repo: Repo, blobs: list[str], max_size: int | None) -> Iterator[Blob | None]:
    """Each blob's content in order, through one cat-file, as a stream read straight from
    the pipe (a large blob is never held whole); None: larger than `max_size`. A stream is
    only good until the next one is asked for: what is left of it is skipped then."""
    child = proc.stream(["git", "cat-file", "--batch"], repo.root)
    assert child.stdin is not None and child.stdout is not None
    feeder = threading.Thread(target=_feed, args=(child.stdin, blobs), daemon=True)
    feeder.start()
    try:
        for _ in blobs:
            header = child.stdout.readline().split()
            if len(header) < 3:
                raise ToolError("`git cat-file --batch` stopped early", hint=HINT)
            blob = Blob(child.stdout, int(header[2]))
            yield None if max_size is not None and blob.size > max_size else blob
            blob.skip_rest()
            child.stdout.read(1)  # the newline after each content
    finally:
        child.stdout.close()
        child.kill()
        child.wait()
        feeder.join()


class Blob:
    """One blob's content inside cat-file's output: `read` never goes past its end."""

    def __init__(self, pipe: IO[bytes], size: int) -> None:
        self.pipe, self.size, self.left = pipe, size, size

    def read(self, size: int = -1, /) -> bytes:
        want = self.left if size < 0 else min(size, self.left)
        data = self.pipe.read(want) if want else b""
        if len(data) < want:
            raise ToolError("`git cat-file --batch` stopped in the middle of a blob", hint=HINT)
        self.left -= len(data)
        return data

    def skip_rest(self) -> None:
        while self.left:
            self.read(1 << 20)


def _feed(stdin: object, blobs: list[str]) -> None:
    try:
        stdin.write("".join(f"{b}\n" for b in blobs).encode())  # type: ignore[attr-defined]
        stdin.close()  # type: ignore[attr-defined]
    except (BrokenPipeError, ValueError):
        pass  # the reader stopped early; it reports why
