"""JUnit XML test reports (pytest `--junitxml`, vitest and jest junit reporters).

Totals are counted from the `<testcase>` elements (not the suites' attributes, which some tools
omit or nest), and the time is the sum of the top-level suites' `time`. `read_cases` is the one
JUnit parser: the gates count its cases, the run's test index (pipeline/testcases.py) keeps them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shipyard import numbers
from shipyard.gates import files
from shipyard.gates.interface import SuiteTotals

FORMAT = "JUnit XML"
_ROOT = re.compile(r"<testsuites?[\s>/]")


@dataclass(frozen=True)
class ReportedCase:
    suite: str  # the name of the innermost <testsuite> around it ("" when none)
    classname: str
    name: str
    file: str | None  # its `file` attribute, as the test runner wrote it
    time: float
    outcome: str  # passed, failed, error, skipped


class JUnit:
    name = FORMAT
    kind = "junit"

    def sniff(self, path: Path, head: str) -> bool:
        return bool(_ROOT.search(head))

    def read(self, path: Path, root: Path) -> SuiteTotals:
        return read_cases(path)


def read_cases(path: Path, visit: Callable[[ReportedCase], None] | None = None) -> SuiteTotals:
    """The report's totals, each test case handed to `visit` as it is read.

    Streamed with iterparse; a report that cannot be true (counts without test cases, more
    failures than tests, a negative time) is rejected rather than passed."""
    events = files.iterparse(path, FORMAT)
    _, top = next(events)  # the root's start event comes first
    if top.tag not in ("testsuites", "testsuite"):
        raise files.wrong(
            path, FORMAT, f"root element <{top.tag}>, expected <testsuites> or <testsuite>"
        )
    result = SuiteTotals()
    suites: list[tuple[float, int, int]] = []  # top-level suites: time, declared, failed
    names = [top.get("name", "")] if top.tag == "testsuite" else []  # the open suites
    depth = 1
    for event, el in events:
        depth += 1 if event == "start" else -1
        if event == "start":
            if el.tag == "testsuite":
                names.append(el.get("name", ""))
            continue
        if el.tag == "testcase":
            outcome = _count_case(el, result)
            if visit is not None:
                visit(_case(el, names[-1] if names else "", outcome, path))
            el.clear()
        elif el.tag == "testsuite":
            names.pop()
            if el is top or (top.tag == "testsuites" and depth == 1):
                suites.append(_suite(el, path))
                el.clear()
    result.time = sum(t for t, _, _ in suites)
    if top.tag == "testsuites" and not suites and top.get("time"):
        result.time = _time(top, path)
    tests, failed = (
        _declared(top, path)
        if not suites
        else (
            sum(d for _, d, _ in suites),
            sum(f for _, _, f in suites),
        )
    )
    if result.tests == 0 and tests > 0:
        raise files.wrong(
            path, FORMAT, f"it claims {tests} tests ({failed} failed) but has no <testcase>"
        )
    return result


def _count_case(case: ET.Element, result: SuiteTotals) -> str:
    """Count the case in `result`; its outcome (a failure wins over an error over a skip)."""
    result.tests += 1
    if case.find("failure") is not None:
        result.failures += 1
        return "failed"
    if case.find("error") is not None:
        result.errors += 1
        return "error"
    if case.find("skipped") is not None:
        result.skipped += 1
        return "skipped"
    return "passed"


def _case(el: ET.Element, suite: str, outcome: str, path: Path) -> ReportedCase:
    return ReportedCase(
        suite,
        el.get("classname", ""),
        el.get("name", ""),
        el.get("file") or None,
        _time(el, path),
        outcome,
    )


def _suite(node: ET.Element, path: Path) -> tuple[float, int, int]:
    declared, failed = _declared(node, path)
    return _time(node, path), declared, failed


def _declared(node: ET.Element, path: Path) -> tuple[int, int]:
    """The `tests` and `failures` + `errors` a suite claims (0 when it does not say)."""
    counts = [
        files.as_int(node.get(a, "0"), path, FORMAT, f"<{node.tag}> {a}")
        for a in ("tests", "failures", "errors")
    ]
    if counts[1] + counts[2] > counts[0]:
        raise files.wrong(
            path,
            FORMAT,
            f"<{node.tag}> claims {counts[1]} failures and {counts[2]} errors in {counts[0]} tests",
        )
    return counts[0], counts[1] + counts[2]


def _time(node: ET.Element, path: Path) -> float:
    value = (node.get("time") or "0").replace(",", "")
    seconds = numbers.ascii_number(value)
    wrong = numbers.problem(seconds, minimum=0, unit="seconds")
    if seconds is None or wrong:
        raise files.wrong(path, FORMAT, f"<{node.tag}> has time={value[:40]!r}: {wrong}")
    return float(seconds)
