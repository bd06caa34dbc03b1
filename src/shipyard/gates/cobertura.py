"""Cobertura XML coverage (coverage.py `coverage xml`, pytest-cov, vitest/istanbul `cobertura`).

Totals come from the root's `lines-valid`/`lines-covered` and `branches-valid`/
`branches-covered`; per-line hits from each class, whose `filename` is relative to one of the
`<sources>` (the first under which the file exists), as diff-cover resolves it.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from shipyard.gates import files
from shipyard.gates.interface import Count, Coverage, LineHits

FORMAT = "Cobertura XML"
_ROOT = re.compile(r"<coverage[\s>]")


class Cobertura:
    name = FORMAT
    kind = "coverage"

    def sniff(self, path: Path, head: str) -> bool:
        return bool(_ROOT.search(head))

    def read(self, path: Path, root: Path) -> Coverage:
        doc = files.load_xml(path, FORMAT)
        if doc.tag != "coverage":
            raise files.wrong(path, FORMAT, f"root element <{doc.tag}>, expected <coverage>")
        cov = Coverage(totals=_totals(doc, path))
        sources = [s.text.strip() for s in doc.findall("sources/source") if s.text]
        hits: dict[str, tuple[set[int], set[int]]] = {}
        for cls in doc.iter("class"):
            name = cls.get("filename")
            if not name:
                continue
            measured, uncovered = hits.setdefault(_locate(name, sources, root), (set(), set()))
            for line in cls.iterfind("lines/line"):
                number, count = line.get("number", ""), line.get("hits", "0")
                # the fast path: plain integers, as every tool writes them
                n = int(number) if number.isdigit() else _int(line, "number", path)
                measured.add(n)
                if count == "0" or (not count.isdigit() and _int(line, "hits", path) == 0):
                    uncovered.add(n)
        cov.files = {f: LineHits(frozenset(m), frozenset(u)) for f, (m, u) in hits.items()}
        return cov


def _totals(doc: ET.Element, path: Path) -> dict[str, Count]:
    totals: dict[str, Count] = {}
    for dim, valid, covered in (
        ("lines", "lines-valid", "lines-covered"),
        ("branches", "branches-valid", "branches-covered"),
    ):
        if doc.get(valid) is None:
            if dim == "lines":
                raise files.wrong(path, FORMAT, "the <coverage> element has no lines-valid")
            continue
        totals[dim] = Count(_int(doc, covered, path), _int(doc, valid, path))
    return totals


def _int(node: ET.Element, attr: str, path: Path) -> int:
    value = node.get(attr, "0")
    try:
        return int(float(value))
    except ValueError:
        raise files.wrong(
            path, FORMAT, f"<{node.tag}> has {attr}={value!r}, expected a number"
        ) from None


def _locate(name: str, sources: list[str], root: Path) -> str:
    for source in sources:
        candidate = os.path.join(source, name)
        if os.path.exists(candidate):
            return files.resolve(candidate, root)
    # a report made elsewhere (a CI container's /app/src): try the source's last folders here
    for source in sources:
        parts = Path(source).parts[1:]
        for i in range(len(parts)):
            candidate = os.path.join(root, *parts[i:], name)
            if os.path.exists(candidate):
                return os.path.normpath(candidate)
    return files.resolve(name, root)
