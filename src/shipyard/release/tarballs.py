"""npm tarballs after `npm pack`: the packed package.json rewritten in a new archive, written
atomically beside the old one (pnpm's `workspace:` ranges become real versions this way, without
touching the repository's own package.json)."""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

MANIFEST = "package/package.json"


def replace_manifest(tarball: Path, change: Callable[[str], str]) -> None:
    """Rewrite `package/package.json` of a gzip'd npm tarball through `change` (text in, text
    out); every other member is copied as it is. Raises ValueError when there is no manifest."""
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tgz", dir=tarball.parent)
    os.close(fd)
    found = False
    try:
        with tarfile.open(tarball, "r:gz") as old, tarfile.open(tmp, "w:gz") as new:
            for member in old:
                data = old.extractfile(member) if member.isfile() else None
                if member.name == MANIFEST and data is not None:
                    body = change(data.read().decode("utf-8")).encode("utf-8")
                    member.size = len(body)
                    new.addfile(member, io.BytesIO(body))
                    found = True
                else:
                    new.addfile(member, data)
        if not found:
            raise ValueError(f"no {MANIFEST} in the packed tarball")
        os.replace(tmp, tarball)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
