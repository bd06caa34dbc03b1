"""Keep what the pipeline writes out of git: `init` adds the state folder and the report
files it configures to `.gitignore`, unless a pattern there already covers them."""

from __future__ import annotations

import fnmatch
from pathlib import Path

from shipyard.store import write_atomic

HEADER = "# shipyard: run state and the reports its stages write"


def _covered(entry: str, patterns: list[str]) -> bool:
    name = entry.strip("/")
    for pattern in patterns:
        p = pattern.strip().rstrip("/").lstrip("/")
        if p and not p.startswith(("#", "!")) and (fnmatch.fnmatch(name, p) or p == name):
            return True
    return False


def missing(root: Path, entries: list[str]) -> list[str]:
    path = root / ".gitignore"
    patterns = path.read_text(errors="replace").splitlines() if path.is_file() else []
    return [e for e in entries if not _covered(e, patterns)]


def add(root: Path, entries: list[str]) -> list[str]:
    """Append the entries not yet ignored; returns them."""
    new = missing(root, entries)
    if not new:
        return []
    path = root / ".gitignore"
    before = path.read_text(errors="replace") if path.is_file() else ""
    sep = "" if not before or before.endswith("\n") else "\n"
    block = "\n".join([HEADER, *new]) + "\n"
    write_atomic(path, before + sep + ("\n" if before else "") + block)
    return new
