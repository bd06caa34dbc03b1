"""JUnit XML test reports (pytest `--junitxml`, vitest and jest junit reporters).

Totals are counted from the `<testcase>` elements (not the suites' attributes, which some tools
omit or nest), and the time is the sum of the top-level suites' `time`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from shipyard import numbers
from shipyard.gates import files
from shipyard.gates.interface import SuiteTotals

FORMAT = "JUnit XML"
_ROOT = re.compile(r"<testsuites?[\s>/]")


class JUnit:
    name = FORMAT
    kind = "junit"

    def sniff(self, path: Path, head: str) -> bool:
        return bool(_ROOT.search(head))

    def read(self, path: Path, root: Path) -> SuiteTotals:
        """Streamed with iterparse; a report that cannot be true (counts without test cases,
        more failures than tests, a negative time) is rejected rather than passed."""
        events = files.iterparse(path, FORMAT)
        _, top = next(events)  # the root's start event comes first
        if top.tag not in ("testsuites", "testsuite"):
            raise files.wrong(
                path, FORMAT, f"root element <{top.tag}>, expected <testsuites> or <testsuite>"
            )
        result = SuiteTotals()
        suites: list[tuple[float, int, int]] = []  # top-level suites: time, declared, failed
        depth = 1
        for event, el in events:
            depth += 1 if event == "start" else -1
            if event == "start":
                continue
            if el.tag == "testcase":
                _count_case(el, result)
                el.clear()
            elif el.tag == "testsuite" and (el is top or (top.tag == "testsuites" and depth == 1)):
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


def _count_case(case: ET.Element, result: SuiteTotals) -> None:
    result.tests += 1
    if case.find("failure") is not None:
        result.failures += 1
    elif case.find("error") is not None:
        result.errors += 1
    elif case.find("skipped") is not None:
        result.skipped += 1


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
