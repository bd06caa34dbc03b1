"""pyright `--outputjson`: `generalDiagnostics` with 0-based ranges, and a `summary`."""

from __future__ import annotations

from pathlib import Path

from shipyard.gates import files
from shipyard.gates.interface import Finding, Findings

FORMAT = "pyright JSON (pyright --outputjson)"


class PyrightJson:
    name = FORMAT
    kind = "typecheck"

    def sniff(self, path: Path, head: str) -> bool:
        start = head.lstrip()
        return start.startswith("{") and (
            '"generalDiagnostics"' in start or ('"version"' in start[:100] and '"time"' in start)
        )

    def read(self, path: Path, root: Path) -> Findings:
        data = files.load_json(path, FORMAT)
        diags = data.get("generalDiagnostics") if isinstance(data, dict) else None
        if not isinstance(diags, list) or not isinstance(data.get("summary"), dict):
            raise files.wrong(path, FORMAT, 'no "generalDiagnostics" list and "summary"')
        found = Findings()
        for d in diags:
            severity = d.get("severity")
            if severity not in ("error", "warning"):
                continue  # "information" is not a finding
            start = (d.get("range") or {}).get("start") or {}
            found.items.append(
                Finding(
                    files.resolve(str(d.get("file", "")), root),
                    int(start.get("line", 0)) + 1,
                    int(start.get("character", 0)) + 1,
                    severity,
                    str(d.get("rule") or "pyright"),
                    str(d.get("message", "")),
                )
            )
        return found
