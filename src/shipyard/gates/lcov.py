"""lcov tracefiles (vitest and c8 `lcov`, istanbul/nyc, coverage.py `coverage lcov`).

Totals are summed from each record's LF/LH, FNF/FNH and BRF/BRH; per-line hits from DA lines.
`SF:` paths are relative to the folder the tool ran in (the stage's `cwd`).
"""

from __future__ import annotations

from pathlib import Path

from shipyard import numbers
from shipyard.gates import files
from shipyard.gates.interface import MAX_LINE, Coverage, LineHits, ReportError

FORMAT = "an lcov tracefile"
_PAIRS = {
    "LF": ("lines", 1),
    "LH": ("lines", 0),
    "FNF": ("functions", 1),
    "FNH": ("functions", 0),
    "BRF": ("branches", 1),
    "BRH": ("branches", 0),
}


class Lcov:
    name = "lcov"
    kind = "coverage"

    def sniff(self, path: Path, head: str) -> bool:
        first = head.lstrip().split("\n", 1)[0]
        return first.startswith(("TN:", "SF:"))

    def read(self, path: Path, root: Path) -> Coverage:
        text = files.read_text(path, FORMAT)
        sums: dict[str, list[int]] = {}
        hits: dict[str, tuple[set[int], set[int]]] = {}
        current: tuple[set[int], set[int]] | None = None
        open_record = False
        for n, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            tag, _, value = line.partition(":")
            if tag == "SF":
                current = hits.setdefault(files.resolve(value, root), (set(), set()))
                open_record = True
            elif tag == "end_of_record":
                open_record = False
            elif tag == "DA" and current is not None:
                number, count = _numbers(value, path, n, want=2)
                if number > MAX_LINE:
                    raise ReportError(
                        f"{files.show(path)}: malformed lcov at line {n}: {value[:60]!r} "
                        f"is not a line number (expected {FORMAT})"
                    )
                current[0].add(number)
                if count == 0:
                    current[1].add(number)
            elif tag in _PAIRS:
                dim, index = _PAIRS[tag]
                sums.setdefault(dim, [0, 0])[index] += _numbers(value, path, n, want=1)[0]
        if open_record or not hits:
            why = "the last record has no end_of_record" if hits else "no SF: record"
            raise ReportError(
                f"{files.show(path)}: truncated or malformed lcov ({why}; expected {FORMAT})"
            )
        totals = {dim: files.count(c, t, path, FORMAT, dim) for dim, (c, t) in sums.items()}
        return Coverage(
            totals, {f: LineHits(frozenset(m), frozenset(u)) for f, (m, u) in hits.items()}
        )


def _numbers(value: str, path: Path, line: int, want: int) -> list[int]:
    # DA lines may carry a checksum after the count: DA:<line>,<count>[,<md5>]
    out = [numbers.ascii_int(v) for v in value.split(",")[:want]]
    if len(out) < want or any(n is None or n < 0 for n in out):
        what = "is negative" if all(n is not None for n in out) and out else "is not a number"
        raise ReportError(
            f"{files.show(path)}: malformed lcov at line {line}: {value[:60]!r} {what} "
            f"(expected {FORMAT})"
        )
    return [n for n in out if n is not None]
