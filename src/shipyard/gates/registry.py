"""The explicit registry of report readers, the conventional paths, and format detection.

A report's format is told from its first bytes (each reader's `sniff`), so a stage declares
only `reports.coverage = "coverage.xml"`, never the format. When no stage declares a report of
some kind, the conventional paths below are tried, in order.
"""

from __future__ import annotations

import re
from pathlib import Path

from shipyard.gates import files
from shipyard.gates.bundle import BuildFolder
from shipyard.gates.cobertura import Cobertura
from shipyard.gates.coveragepy import CoveragePyJson
from shipyard.gates.eslint_json import EslintJson
from shipyard.gates.interface import Reader, Report, ReportError
from shipyard.gates.istanbul import IstanbulSummary
from shipyard.gates.junit import JUnit
from shipyard.gates.lcov import Lcov
from shipyard.gates.mypy_text import MypyText
from shipyard.gates.prettier import PrettierCheck
from shipyard.gates.pyright_json import PyrightJson
from shipyard.gates.ruff_format import RuffFormat
from shipyard.gates.ruff_json import RuffJson
from shipyard.gates.tsc_text import TscText

READERS: dict[str, tuple[Reader, ...]] = {
    "coverage": (Cobertura(), Lcov(), CoveragePyJson(), IstanbulSummary()),
    "junit": (JUnit(),),
    "lint": (RuffJson(), EslintJson()),
    "typecheck": (PyrightJson(), MypyText(), TscText()),
    "format": (RuffFormat(), PrettierCheck()),
    "bundle": (BuildFolder(),),
}

CONVENTIONAL: dict[str, tuple[str, ...]] = {
    "coverage": (
        "coverage.xml",
        "coverage/lcov.info",
        "coverage.json",
        "coverage/coverage-summary.json",
    ),
    "junit": ("junit.xml", "reports/junit.xml", "test-results/junit.xml"),
    "lint": ("ruff.json", "eslint.json", "reports/ruff.json", "reports/eslint.json"),
    "typecheck": ("mypy.txt", "pyright.json", "tsc.txt", "reports/mypy.txt", "reports/tsc.txt"),
    "format": ("format.txt", "prettier.txt", "reports/format.txt"),
    "bundle": ("dist",),
}


def expected(kind: str) -> str:
    names = [r.name for r in READERS[kind]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def detect(kind: str, path: Path) -> Reader:
    """The reader for the report at `path`, told from its first bytes."""
    readers = READERS[kind]
    if kind == "bundle":
        return readers[0]
    what = f"a {kind} report: {expected(kind)}"
    if path.is_dir():
        raise ReportError(f"{files.show(path)}: is a folder, expected {what}")
    try:
        start = files.head(path)
    except FileNotFoundError:
        raise files.missing(path, what) from None
    if not start.strip():
        files.read_text(path, what)  # raises the "empty" error
    for reader in readers:
        if reader.sniff(path, start):
            return reader
    raise ReportError(
        f"{files.show(path)}: not a {kind} report in a format shipyard reads "
        f"(expected {expected(kind)}; found {_looks_like(start)})",
        hint="check the path under `reports` and the tool's output option",
    )


def _looks_like(start: str) -> str:
    text = start.lstrip()
    if text.startswith("<"):
        m = re.search(r"<([A-Za-z][\w:.-]*)", re.sub(r"<[?!][^>]*>", "", text))
        return f"XML with root <{m.group(1)}>" if m else "XML"
    if text.startswith(("{", "[")):
        return "a JSON " + ("object" if text.startswith("{") else "list")
    first = text.split("\n", 1)[0]
    return f"text starting {first[:40]!r}"


def read(kind: str, path: Path, base: Path) -> tuple[str, Report]:
    """(format name, report data); names in the report are resolved against `base`."""
    reader = detect(kind, path)
    return reader.name, reader.read(path, base)


def conventional(kind: str, root: Path) -> list[Path]:
    return [root / rel for rel in CONVENTIONAL.get(kind, ()) if (root / rel).exists()]
