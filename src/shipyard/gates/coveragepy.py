"""coverage.py JSON (`coverage json`, `pytest --cov-report=json`).

Totals: lines are `covered_lines`/`num_statements`, branches `covered_branches`/`num_branches`
(with branch coverage on); per-line hits from each file's `executed_lines`/`missing_lines`.
File names are relative to the folder coverage ran in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shipyard.gates import files
from shipyard.gates.interface import Count, Coverage, LineHits

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
        cov.totals["lines"] = Count(
            files.as_int(totals.get("covered_lines"), path, FORMAT, "totals.covered_lines"),
            files.as_int(totals.get("num_statements"), path, FORMAT, "totals.num_statements"),
        )
        if "num_branches" in totals:
            cov.totals["branches"] = Count(
                files.as_int(
                    totals.get("covered_branches"), path, FORMAT, "totals.covered_branches"
                ),
                files.as_int(totals["num_branches"], path, FORMAT, "totals.num_branches"),
            )
        for name, entry in (data.get("files") or {}).items():
            executed = set(entry.get("executed_lines", ()))
            missing = set(entry.get("missing_lines", ()))
            cov.files[files.resolve(name, root)] = LineHits(
                frozenset(executed | missing), frozenset(missing)
            )
        return cov
