"""ESLint `-f json`: one entry per file, each message with severity 1 (warning) or 2 (error)."""

from __future__ import annotations

from pathlib import Path

from shipyard.gates import files
from shipyard.gates.interface import Finding, Findings

FORMAT = "ESLint JSON (eslint -f json)"


class EslintJson:
    name = FORMAT
    kind = "lint"

    def sniff(self, path: Path, head: str) -> bool:
        start = head.lstrip()
        return start.startswith("[") and '"filePath"' in start

    def read(self, path: Path, root: Path) -> Findings:
        data = files.load_json(path, FORMAT)
        if not isinstance(data, list):
            raise files.wrong(path, FORMAT, "expected a JSON list of file results")
        found = Findings()
        for i, entry in enumerate(data):
            if not isinstance(entry, dict) or not isinstance(entry.get("messages"), list):
                raise files.wrong(path, FORMAT, f"item {i} has no messages list")
            name = files.resolve(str(entry.get("filePath", "")), root)
            for j, msg in enumerate(entry["messages"]):
                where = f"item {i} message {j}"
                msg = files.table(msg, path, FORMAT, where)
                found.items.append(
                    Finding(
                        name,
                        files.position(msg.get("line"), path, FORMAT, f"{where} line"),
                        files.position(msg.get("column"), path, FORMAT, f"{where} column"),
                        "error" if msg.get("severity") == 2 else "warning",
                        str(msg.get("ruleId") or "parse-error"),
                        str(msg.get("message", "")),
                    )
                )
        return found
