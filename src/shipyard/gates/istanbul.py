"""Istanbul json-summary (`coverage-summary.json` from vitest, jest, c8, nyc).

It has all four dimensions (lines, functions, branches, statements) but no per-line data, so
it feeds the totals gates only; changed-lines coverage needs an lcov or Cobertura report too.
"""

from __future__ import annotations

import re
from pathlib import Path

from shipyard.gates import files
from shipyard.gates.interface import DIMENSIONS, Coverage

FORMAT = "Istanbul json-summary"
_START = re.compile(r'^\s*\{\s*"total"\s*:')


class IstanbulSummary:
    name = FORMAT
    kind = "coverage"

    def sniff(self, path: Path, head: str) -> bool:
        return bool(_START.match(head))

    def read(self, path: Path, root: Path) -> Coverage:
        data = files.load_json(path, FORMAT)
        total = data.get("total") if isinstance(data, dict) else None
        if not isinstance(total, dict):
            raise files.wrong(path, FORMAT, 'no "total" object')
        cov = Coverage()
        for dim in DIMENSIONS:
            entry = total.get(dim)
            if not isinstance(entry, dict):
                raise files.wrong(path, FORMAT, f'"total" has no "{dim}" object')
            cov.totals[dim] = files.count(
                entry.get("covered"), entry.get("total"), path, FORMAT, f"total.{dim}"
            )
        return cov
