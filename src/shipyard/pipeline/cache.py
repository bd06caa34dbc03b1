"""Content-addressed cache keys for stages.

A key is the SHA-256 of everything that decides a stage's result: its commands, environment,
working folder, the tools its commands start (resolved path, size and mtime of the executable,
plus the interpreter's version) and the content of its input files. Input hashes come from what
git already knows: the index's blob hash for tracked, unmodified files, `git hash-object` only
for files that differ from the index or are untracked. Outside git, files are hashed directly.
A workspace package's stage also hashes its dependencies' files under the same globs and, at
its start, the outputs of the package stages it needs (see pipeline/packages.py).
"""

from __future__ import annotations

import functools
import hashlib
import os
import posixpath
import shlex
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from shipyard.config import Stage
from shipyard.git import Repo
from shipyard.pipeline import globs, statcache
from shipyard.store import Store

KEY_VERSION = "1"


@dataclass
class TreeState:
    """File path -> content hash for the project tree, computed once per run."""

    hashes: Mapping[str, str]
    root: Path

    @classmethod
    def scan(cls, root: Path, store: Store | None = None) -> TreeState:
        """Hash the tree; with a `store`, files unchanged since the last scan (same stat data)
        are not read again (see statcache.py)."""
        repo = Repo.find(root)
        if repo is None or repo.root.resolve() != root.resolve():
            return cls(statcache.hashes(root, _plain_tree(root), "sha256", store), root)
        hashes = dict(repo.index_blobs())
        changed, untracked = repo.status_paths()
        for p in (*changed, *untracked):
            hashes.pop(p, None)
        # modified tracked files through git (its filters apply, as changed_tracked compares);
        # untracked ones, often many (generated data), hashed here and remembered by stat
        hashes.update(repo.hash_files([p for p in changed if (root / p).is_file()]))
        hashes.update(statcache.hashes(root, untracked, "blob", store))
        return cls(hashes, root)

    def inputs(self, patterns: tuple[str, ...], cwd: str) -> list[tuple[str, str]]:
        prefix = "" if cwd in (".", "") else cwd.strip("/") + "/"
        # normalised: a package's stage (cwd "packages/a") may list the root's lockfile as
        # "../../pnpm-lock.yaml", which config accepts as inside the project
        norm = posixpath.normpath
        pats = [
            ("!" + norm(prefix + p[1:])) if p.startswith("!") else norm(prefix + p)
            for p in patterns
        ]
        return [(p, self.hashes[p]) for p in globs.select(self.hashes, pats)]


def changed_tracked(before: TreeState) -> list[str]:
    """Tracked files whose content differs from what `before` saw: what the run rewrote.

    Only for a tree scanned through git (a plain folder has no notion of tracked files).
    """
    repo = Repo.find(before.root)
    if repo is None or repo.root.resolve() != before.root.resolve():
        return []
    out = repo.git("status", "--porcelain=v1", "-z", "--untracked-files=no")
    entries = iter(out.split("\0"))
    dirty = []
    for entry in entries:
        if entry:
            dirty.append(entry[3:])
            if "R" in entry[:2] or "C" in entry[:2]:
                next(entries, None)
    present = [p for p in dirty if (before.root / p).is_file()]
    now = repo.hash_files(present)
    return sorted(p for p in dirty if now.get(p) != before.hashes.get(p))


def _plain_tree(root: Path) -> Iterator[str]:
    """Files of a folder outside git, relative and '/'-separated, without state and caches."""
    skip = {".git", ".shipyard", "node_modules", "__pycache__", ".venv"}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in skip]
        base = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if base == "." else base + "/"
        for name in filenames:
            yield prefix + name


def tool_fingerprint(command: str, env: Mapping[str, str]) -> str:
    """Which build of the command's program runs: its name and a hash of its content.

    Content, not path or mtime, so that a fresh CI machine with the same tool versions computes
    the same key and the persisted cache hits there too.
    """
    prog, found = _program(command, env.get("PATH"))
    try:
        st = os.stat(found) if found else None
    except OSError:
        st = None
    if found is None or st is None:  # not there (yet: a stage may create it): look every time
        _FOUND.pop((command, env.get("PATH")), None)
        return f"{prog}:?"
    digest = _content_hash(os.path.realpath(found), st.st_size, st.st_mtime_ns)
    return f"{os.path.basename(prog)}:{digest}"


# (command, PATH) -> (program, where PATH found it), within one process: 10,000 stages running
# `true` split the command and search PATH once, not 10,000 times. Misses are not kept.
_FOUND: dict[tuple[str, str | None], tuple[str, str | None]] = {}


def _program(command: str, path: str | None) -> tuple[str, str | None]:
    hit = _FOUND.get((command, path))
    if hit is not None:
        return hit
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    words = [w for w in words if "=" not in w.split("/")[0]] or [""]
    prog = words[0]
    found = shutil.which(prog, path=path) if prog else None
    if len(_FOUND) < 4096:
        _FOUND[(command, path)] = (prog, found)
    return prog, found


@functools.lru_cache(maxsize=256)
def _content_hash(path: str, size: int, mtime_ns: int) -> str:
    """SHA-256 of a file, remembered per (path, size, mtime) within one process."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def python_packages() -> str:
    """The installed distributions and their versions, from the dist-info folder names.

    One directory listing per site-packages folder: cheap, and it changes whenever a tool the
    stage runs through `python -m` (pytest, mypy, ruff, ...) is upgraded.
    """
    names: list[str] = []
    for entry in sys.path:
        if entry.endswith("-packages") and os.path.isdir(entry):
            names += [n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info"))]
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()


def node_packages(cwd: Path) -> str:
    """npm's record of what node_modules holds (hidden lockfile), when there is one."""
    for lock in (
        "node_modules/.package-lock.json",
        "node_modules/.modules.yaml",
        "node_modules/.yarn-state.yml",
    ):
        path = cwd / lock
        if path.is_file():
            return hashlib.sha256(path.read_bytes()).hexdigest()
    return ""


def stage_key(stage: Stage, tree: TreeState, env: Mapping[str, str], extra: str = "") -> str:
    h = hashlib.sha256()

    def feed(*parts: str) -> None:
        for part in parts:
            h.update(part.encode("utf-8", "surrogateescape"))
            h.update(b"\0")

    feed(
        KEY_VERSION,
        stage.name,
        stage.cwd,
        sys.version,
        extra,
        python_packages(),
        node_packages(tree.root / stage.cwd),
    )
    for command in stage.run:
        feed("cmd", command, tool_fingerprint(command, env))
    for k in sorted(stage.env):
        feed("env", k, stage.env[k])
    feed("salt", os.environ.get("SHIPYARD_CACHE_SALT", ""))
    for path in stage.cached:
        feed("out", path)
    # the same bytes as feed("in", path, blob) per file, in one update: 100,000 inputs cost
    # one encode, not 300,000 calls
    inputs = tree.inputs(stage.inputs, stage.cwd)
    # a package stage: the same globs in every workspace package it depends on (their sources)
    for folder in stage.upstream:
        inputs += tree.inputs(stage.inputs, folder)
    h.update("".join(f"in\0{p}\0{b}\0" for p, b in inputs).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def outputs_digest(root: Path, patterns: Sequence[str]) -> str:
    """A hash of the files the output globs (relative to `root`) match now: what the package
    stages a stage needs have built, once they finished (built or restored from the cache)."""
    h = hashlib.sha256()
    for pattern in patterns:
        parts = pattern.split("/")
        fixed = next((i for i, p in enumerate(parts) if any(c in p for c in "*?[")), len(parts))
        base = root.joinpath(*parts[:fixed]) if fixed else root
        files = [base] if base.is_file() else sorted(_files_below(base))
        for path in files:
            rel = path.relative_to(root).as_posix()
            if globs.matches(rel, [pattern]):
                h.update(f"{pattern}\0{rel}\0".encode("utf-8", "surrogateescape"))
                h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _files_below(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in (".git", ".shipyard", "node_modules")]
        for name in filenames:
            yield Path(dirpath) / name
