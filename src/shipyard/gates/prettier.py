"""`prettier --check` output (stdout and stderr together: `prettier --check . > f 2>&1`)."""

from __future__ import annotations

import re
from pathlib import Path

from shipyard.gates import files
from shipyard.gates.interface import Unformatted

FORMAT = "prettier --check output (prettier --check . > prettier.txt 2>&1)"
_DONE = re.compile(
    r"^(?:\[warn\] )?(All matched files use Prettier code style!|Code style "
    r"issues (found|were found) in)",
    re.M,
)
_FILE = re.compile(r"^\[(?:warn|error)\] (?P<file>(?!Code style issues)[^\s:]+)", re.M)


class PrettierCheck:
    name = FORMAT
    kind = "format"

    def sniff(self, path: Path, head: str) -> bool:
        return head.lstrip().startswith("Checking formatting...") or bool(_DONE.search(head))

    def read(self, path: Path, root: Path) -> Unformatted:
        text = files.read_text(path, FORMAT)
        if not _DONE.search(text):
            raise files.wrong(path, FORMAT, "no closing line from prettier: truncated?")
        names = sorted({files.resolve(m["file"], root) for m in _FILE.finditer(text)})
        return Unformatted(names, len(names))
