"""tsc's output: `file(line,col): error TS2322: message` (or the `--pretty` form).

tsc prints nothing when it finds nothing, and an empty report cannot be told from a crash, so
the report must come from `tsc --noEmit --diagnostics` (or `--extendedDiagnostics`), whose
statistics ("Files: …") prove the run finished.
"""

from __future__ import annotations

import re
from pathlib import Path

from shipyard.gates import files
from shipyard.gates.interface import Finding, Findings

FORMAT = "tsc output (tsc --noEmit --diagnostics > tsc.txt)"
_PLAIN = re.compile(
    r"^(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\): (?P<sev>error|warning) "
    r"(?P<code>TS\d+): (?P<msg>.*)$"
)
_PRETTY = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+) - (?P<sev>error|warning) "
    r"(?P<code>TS\d+): (?P<msg>.*)$"
)
_STATS = re.compile(r"^Files:\s+\d+", re.M)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class TscText:
    name = "tsc"
    kind = "typecheck"

    def sniff(self, path: Path, head: str) -> bool:
        text = _ANSI.sub("", head)
        first = text.lstrip().split("\n", 1)[0]
        return bool(_PLAIN.match(first) or _PRETTY.match(first) or _STATS.search(text))

    def read(self, path: Path, root: Path) -> Findings:
        text = _ANSI.sub("", files.read_text(path, FORMAT))
        found = Findings()
        for line in text.splitlines():
            m = _PLAIN.match(line) or _PRETTY.match(line)
            if m:
                found.items.append(
                    Finding(
                        files.resolve(m["file"], root),
                        int(m["line"]),
                        int(m["col"]),
                        m["sev"],
                        m["code"],
                        m["msg"],
                    )
                )
        if not _STATS.search(text):
            raise files.wrong(
                path, FORMAT, 'no "Files:" statistics: truncated, or tsc ran without --diagnostics'
            )
        return found
