"""vitest's `vitest bench --outputJson` file: milliseconds per iteration, smaller is better.

vitest 3 empties the per-iteration samples in this file, so each benchmark gives one value
per run: its median (p50) time. That is the right unit anyway: runs, not iterations, are the
independent observations (see verdict.py).
"""

from __future__ import annotations

from typing import Any

from shipyard.bench.interface import Direction, Series
from shipyard.bench.shape import need_list, need_positive, need_table


def parse(data: Any, where: str, prefix: str) -> list[Series]:
    series = []
    for f, file in enumerate(need_list(need_table(data, where), "files", where)):
        here = f"{where}: files[{f}]"
        for g, group in enumerate(need_list(need_table(file, here), "groups", here)):
            ghere = f"{here}.groups[{g}]"
            group = need_table(group, ghere)
            for b, bench in enumerate(need_list(group, "benchmarks", ghere)):
                bhere = f"{ghere}.benchmarks[{b}]"
                bench = need_table(bench, bhere)
                samples = bench.get("samples") or [
                    bench.get("median", bench.get("p50", bench.get("mean")))
                ]
                values = tuple(need_positive(x, f"{bhere}.median") for x in samples)
                name = f"{prefix}/{group.get('fullName', '')} > {bench.get('name', b)}"
                series.append(Series(name, "value", "ms", Direction.SMALLER, values))
    return series
