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
        """Streamed with iterparse: each <class> is dropped once its lines are counted."""
        cov: Coverage | None = None
        sources: list[str] = []
        hits: dict[str, tuple[set[int], set[int]]] = {}
        current: tuple[set[int], set[int]] | None = None
        in_methods = 0  # per-method lines repeat the class's, with the method's own hits
        numbers: dict[int, int] = {}  # every file shares one int object per line number
        for event, el in files.iterparse(path, FORMAT):
            if cov is None:
                if el.tag != "coverage":
                    raise files.wrong(path, FORMAT, f"root element <{el.tag}>, expected <coverage>")
                cov = Coverage(totals=_totals(el, path))
            elif el.tag == "methods":
                in_methods += 1 if event == "start" else -1
            elif event == "start":
                if el.tag == "class":
                    name = el.get("filename")
                    current = (
                        hits.setdefault(_locate(name, sources, root), (set(), set()))
                        if name
                        else None
                    )
            elif el.tag == "line" and current is not None and not in_methods:
                number = numbers.setdefault(n := _line_number(el, path), n)  # one int per line
                current[0].add(number)
                if el.get("hits", "0") == "0" or _int(el, "hits", path) == 0:
                    current[1].add(number)
            elif el.tag == "source" and el.text:
                sources.append(el.text.strip())
            elif el.tag in ("class", "package"):
                current = None if el.tag == "class" else current
                el.clear()
        if cov is None:  # pragma: no cover - iterparse raises on a document without a root
            raise files.wrong(path, FORMAT, "no <coverage> element")
        cov.files = _frozen(hits)
        return cov


def _frozen(hits: dict[str, tuple[set[int], set[int]]]) -> dict[str, LineHits]:
    """One file at a time, so the sets and their frozen copies never all coexist."""
    out: dict[str, LineHits] = {}
    for name in list(hits):  # in the report's order
        measured, uncovered = hits.pop(name)
        out[name] = LineHits(frozenset(measured), frozenset(uncovered))
    return out


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
        totals[dim] = files.count(
            doc.get(covered, "0"), doc.get(valid), path, FORMAT, f"<coverage> {dim}"
        )
    return totals


def _line_number(line: ET.Element, path: Path) -> int:
    number = line.get("number", "")
    # the fast path: plain ASCII integers, as every tool writes them
    n = int(number) if number.isascii() and number.isdigit() else _int(line, "number", path)
    if n < 1:
        raise files.wrong(path, FORMAT, f"<line> has number={number!r}, expected a line number")
    return n


def _int(node: ET.Element, attr: str, path: Path) -> int:
    value = node.get(attr, "0")
    return files.as_int(value, path, FORMAT, f"<{node.tag}> {attr}={value[:40]!r}")


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
