"""Sizes of a build output folder: total bytes, the largest single file, the gzipped total.

Each file is gzipped on its own at level 9 (what a web server or CDN would send), so the
gzipped total is the sum of the per-file sizes, not the size of one archive.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from shipyard.gates import files
from shipyard.gates.interface import Bundle, ReportError

FORMAT = "a build output folder"


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
                data = p.read_bytes()
                result.files += 1
                result.total += len(data)
                result.gzip += len(gzip.compress(data, compresslevel=9, mtime=0))
                if len(data) > result.largest:
                    result.largest, result.largest_file = len(data), str(p.relative_to(path))
        if result.files == 0:
            raise ReportError(
                f"{files.show(path)}: the build output folder is empty",
                hint="run the build stage first",
            )
        return result
