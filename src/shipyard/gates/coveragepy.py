"""coverage.py JSON (`coverage json`, `pytest --cov-report=json`).

Totals: lines are `covered_lines`/`num_statements`, branches `covered_branches`/`num_branches`
(with branch coverage on); per-line hits from each file's `executed_lines`/`missing_lines`.
File names are relative to the folder coverage ran in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shipyard.gates import files
from shipyard.gates.interface import MAX_LINE, Coverage, LineHits

FORMAT = "coverage.py JSON"


class CoveragePyJson:
    name = FORMAT
    kind = "coverage"

    def sniff(self, path: Path, head: str) -> bool:
        start = head.lstrip()
        return start.startswith("{") and '"meta"' in start[:200]

    def read(self, path: Path, root: Path) -> Coverage:
        data = files.load_json(path, FORMAT)
        if not isinstance(data, dict) or not isinstance(data.get("totals"), dict):
            raise files.wrong(path, FORMAT, 'no "totals" object')
        totals: dict[str, Any] = data["totals"]
        cov = Coverage()
        cov.totals["lines"] = files.count(
            totals.get("covered_lines"), totals.get("num_statements"), path, FORMAT, "totals lines"
        )
        if "num_branches" in totals:
            cov.totals["branches"] = files.count(
                totals.get("covered_branches"),
                totals["num_branches"],
                path,
                FORMAT,
                "totals branches",
            )
        for name, entry in files.table(data.get("files"), path, FORMAT, '"files"').items():
            entry = files.table(entry, path, FORMAT, f"files.{name}")
            executed = _lines(entry.get("executed_lines"), path, f"files.{name}.executed_lines")
            missing = _lines(entry.get("missing_lines"), path, f"files.{name}.missing_lines")
            cov.files[files.resolve(name, root)] = LineHits(
                frozenset(executed | missing), frozenset(missing)
            )
        return cov


def _lines(value: Any, path: Path, where: str) -> set[int]:
    if value is None:
        return set()
    if not isinstance(value, list):
        raise files.wrong(path, FORMAT, f"{where} is not a list of line numbers")
    lines = {files.as_int(v, path, FORMAT, where) for v in value}
    if lines and max(lines) > MAX_LINE:
        raise files.wrong(path, FORMAT, f"{where} has {max(lines)}, expected a line number")
    return lines
