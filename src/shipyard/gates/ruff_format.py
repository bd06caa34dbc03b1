"""`ruff format --check` output: the files it would reformat, and its closing summary line."""

from __future__ import annotations

import re
from pathlib import Path

from shipyard.gates import files
from shipyard.gates.interface import Unformatted

FORMAT = "ruff format --check output"
_SUMMARY = re.compile(
    r"^(?:(?P<bad>\d+) files? would be reformatted)?(?:, )?(?:(?P<ok>\d+) files? already "
    r"formatted)?$",
    re.M,
)
# ruff < 0.9 prints "Would reformat: PATH"; later versions a diagnostic with " --> PATH:L:C"
_FILE = re.compile(r"^(?:Would reformat: (?P<old>.+)| *--> (?P<new>.+?):\d+:\d+)$", re.M)


class RuffFormat:
    name = FORMAT
    kind = "format"

    def sniff(self, path: Path, head: str) -> bool:
        return (
            "would be reformatted" in head
            or "already formatted" in head
            or ("Would reformat:" in head)
            or "unformatted: File would be reformatted" in head
        )

    def read(self, path: Path, root: Path) -> Unformatted:
        text = files.read_text(path, FORMAT)
        summary = [m for m in _SUMMARY.finditer(text) if m["bad"] or m["ok"]]
        if not summary:
            raise files.wrong(
                path,
                FORMAT,
                'no closing "… would be reformatted" or "… already formatted" line: truncated?',
            )
        names = [files.resolve(m["old"] or m["new"], root) for m in _FILE.finditer(text)]
        return Unformatted(sorted(set(names)), int(summary[-1]["bad"] or 0))
