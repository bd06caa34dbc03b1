"""JUnit XML test reports (pytest `--junitxml`, vitest and jest junit reporters).

Totals are counted from the `<testcase>` elements (not the suites' attributes, which some tools
omit or nest), and the time is the sum of the top-level suites' `time`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

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
        doc = files.load_xml(path, FORMAT)
        if doc.tag not in ("testsuites", "testsuite"):
            raise files.wrong(
                path, FORMAT, f"root element <{doc.tag}>, expected <testsuites> or <testsuite>"
            )
        result = SuiteTotals()
        for case in doc.iter("testcase"):
            result.tests += 1
            if case.find("failure") is not None:
                result.failures += 1
            elif case.find("error") is not None:
                result.errors += 1
            elif case.find("skipped") is not None:
                result.skipped += 1
        suites = [doc] if doc.tag == "testsuite" else doc.findall("testsuite")
        result.time = sum(_time(s, path) for s in suites)
        if doc.tag == "testsuites" and not suites and doc.get("time"):
            result.time = _time(doc, path)
        return result


def _time(node: ET.Element, path: Path) -> float:
    value = node.get("time") or "0"
    try:
        return float(value.replace(",", ""))
    except ValueError:
        raise files.wrong(path, FORMAT, f"<{node.tag}> has time={value!r}") from None
