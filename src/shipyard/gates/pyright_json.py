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
        for i, d in enumerate(diags):
            where = f"generalDiagnostics[{i}]"
            d = files.table(d, path, FORMAT, where)
            severity = d.get("severity")
            if severity not in ("error", "warning"):
                continue  # "information" is not a finding
            span = files.table(d.get("range"), path, FORMAT, f"{where}.range")
            start = files.table(span.get("start"), path, FORMAT, f"{where}.range.start")
            found.items.append(
                Finding(
                    files.resolve(str(d.get("file", "")), root),
                    files.position(start.get("line"), path, FORMAT, f"{where} line", 0) + 1,
                    files.position(start.get("character"), path, FORMAT, f"{where} column", 0) + 1,
                    severity,
                    str(d.get("rule") or "pyright"),
                    str(d.get("message", "")),
                )
            )
        return found
