"""Sizes of a build output folder: total bytes, the largest single file, the gzipped total.

Each file is gzipped on its own at level 9 (what a web server or CDN would send), so the
gzipped total is the sum of the per-file sizes, not the size of one archive.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from shipyard.gates import files
from shipyard.gates.interface import Bundle, ReportError

FORMAT = "a build output folder"
CHUNK = 1024 * 1024


class BuildFolder:
    name = FORMAT
    kind = "bundle"

    def sniff(self, path: Path, head: str) -> bool:  # chosen by being a folder, see registry
        return False

    def read(self, path: Path, root: Path) -> Bundle:
        if not path.exists():
            raise files.missing(path, FORMAT)
        if not path.is_dir():
            raise ReportError(
                f"{files.show(path)}: is a file, expected {FORMAT}",
                hint="point reports.bundle at the folder the build writes (dist)",
            )
        result = Bundle()
        for dirpath, _dirs, names in os.walk(path):
            for name in names:
                p = Path(dirpath, name)
                if p.is_symlink() or not p.is_file():
                    continue
                size, gzipped = _sizes(p)
                result.files += 1
                result.total += size
                result.gzip += gzipped
                if size > result.largest:
                    result.largest, result.largest_file = size, _shown(p.relative_to(path))
        if result.files == 0:
            raise ReportError(
                f"{files.show(path)}: the build output folder is empty",
                hint="run the build stage first",
            )
        return result


def _sizes(p: Path) -> tuple[int, int]:
    """Bytes and gzipped bytes of one file, read in chunks (a 1 GB asset is not held whole)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip container
    size = gzipped = 0
    try:
        with open(p, "rb") as fh:
            while chunk := fh.read(CHUNK):
                size += len(chunk)
                gzipped += len(packer.compress(chunk))
    except OSError as exc:
        raise ReportError(
            f"{files.show(p)}: cannot be read ({exc.strerror}; expected {FORMAT})"
        ) from None
    return size, gzipped + len(packer.flush())


def _shown(rel: Path) -> str:
    """A file name as text: bytes that are not UTF-8 become U+FFFD, so reports can print it."""
    return os.fsencode(rel).decode("utf-8", "replace")
