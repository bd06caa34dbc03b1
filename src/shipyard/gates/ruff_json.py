"""ruff `check --output-format json`: a list of violations, each an error for the gates.

ruff has no warning level of its own; a rule a project wants as a warning belongs in its
`extend-ignore`, or in a separate, non-gated stage.
"""

from __future__ import annotations

from pathlib import Path

from shipyard.gates import files
from shipyard.gates.interface import Finding, Findings

FORMAT = "ruff JSON (ruff check --output-format json)"


class RuffJson:
    name = FORMAT
    kind = "lint"

    def sniff(self, path: Path, head: str) -> bool:
        start = head.lstrip()
        return start.startswith("[") and ('"filename"' in start or start.rstrip() == "[]")

    def read(self, path: Path, root: Path) -> Findings:
        data = files.load_json(path, FORMAT)
        if not isinstance(data, list):
            raise files.wrong(path, FORMAT, "expected a JSON list of violations")
        found = Findings()
        for i, item in enumerate(data):
            if not isinstance(item, dict) or "filename" not in item:
                raise files.wrong(path, FORMAT, f"item {i} has no filename")
            loc = files.table(item.get("location"), path, FORMAT, f"item {i} location")
            found.items.append(
                Finding(
                    files.resolve(str(item["filename"]), root),
                    files.position(loc.get("row"), path, FORMAT, f"item {i} location.row"),
                    files.position(loc.get("column"), path, FORMAT, f"item {i} location.column"),
                    "warning" if item.get("severity") == "warning" else "error",
                    str(item.get("code") or "syntax-error"),
                    str(item.get("message", "")),
                )
            )
        return found
