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
from shipyard.gates.interface import MAX_LINE, Count, Coverage, LineHits

FORMAT = "Cobertura XML"
_ROOT = re.compile(r"<coverage[\s>]")


class Cobertura:
    name = FORMAT
    kind = "coverage"

    def sniff(self, path: Path, head: str) -> bool:
        return bool(_ROOT.search(head))

    def read(self, path: Path, root: Path) -> Coverage:
        """Streamed with iterparse: every element is dropped from its parent once it has
        ended, so memory holds the open elements and the per-file hits, never the tree."""
        cov: Coverage | None = None
        sources: list[str] = []
        hits: dict[str, LineHits] = {}
        current: _Class | None = None
        open_: list[ET.Element] = []  # the open elements, root first
        in_methods = 0  # per-method lines repeat the class's, with the method's own hits
        for event, el in files.iterparse(path, FORMAT):
            if event == "start":
                if cov is None:
                    cov = Coverage(totals=_root_totals(el, path))
                elif el.tag == "methods":
                    in_methods += 1
                elif el.tag == "class" and (name := el.get("filename")):
                    current = _Class(_locate(name, sources, root))
                open_.append(el)
                continue
            open_.pop()
            if el.tag == "line" and current is not None and not in_methods:
                current.add(_line_number(el, path), _hit(el, path))
            elif el.tag == "methods":
                in_methods -= 1
            elif el.tag == "source" and el.text:
                sources.append(el.text.strip())
            elif el.tag == "class" and current is not None:
                current.store(hits)
                current = None
            if open_:
                del open_[-1][:]  # its ended children (this one included) are done with
        if cov is None:  # pragma: no cover - iterparse raises on a document without a root
            raise files.wrong(path, FORMAT, "no <coverage> element")
        cov.files = hits
        return cov


class _Class:
    """The lines of one <class> being read; stored into the file's hits when it ends."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.measured: set[int] = set()
        self.uncovered: set[int] = set()

    def add(self, number: int, hit: bool) -> None:
        self.measured.add(number)
        if not hit:
            self.uncovered.add(number)

    def store(self, hits: dict[str, LineHits]) -> None:
        old = hits.get(self.name)  # a file may appear in several classes
        if old is not None:
            self.measured |= old.measured
            self.uncovered |= old.uncovered
        hits[self.name] = LineHits(self.measured, self.uncovered)


def _root_totals(el: ET.Element, path: Path) -> dict[str, Count]:
    if el.tag != "coverage":
        raise files.wrong(path, FORMAT, f"root element <{el.tag}>, expected <coverage>")
    return _totals(el, path)


def _hit(line: ET.Element, path: Path) -> bool:
    value = line.get("hits", "0")
    return value != "0" and _int(line, "hits", path) != 0


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
    if not 1 <= n <= MAX_LINE:
        raise files.wrong(
            path, FORMAT, f"<line> has number={number[:40]!r}, expected a line number"
        )
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
