"""JUnit XML rendering shared by every family: checks become test cases a CI can show.

The output follows the common schema read by GitHub test reporters, GitLab and Jenkins:
`<testsuites>` with one `<testsuite>` whose `<testcase>`s carry `<failure>` or `<skipped>`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    classname: str
    time: float = 0.0
    failure: str | None = None  # a message: the case failed
    skipped: str | None = None  # a message: the case was skipped
    output: str = ""  # shown as system-out


def render(suite: str, cases: Sequence[Case]) -> str:
    failures = sum(1 for c in cases if c.failure is not None)
    skipped = sum(1 for c in cases if c.failure is None and c.skipped is not None)
    total_time = sum(c.time for c in cases)
    attrs = {
        "name": suite,
        "tests": str(len(cases)),
        "failures": str(failures),
        "errors": "0",
        "skipped": str(skipped),
        "time": f"{total_time:.3f}",
    }
    root = ET.Element("testsuites", attrs)
    node = ET.SubElement(root, "testsuite", attrs)
    for case in cases:
        tc = ET.SubElement(
            node,
            "testcase",
            {"name": case.name, "classname": case.classname, "time": f"{case.time:.3f}"},
        )
        if case.failure is not None:
            ET.SubElement(tc, "failure", {"message": case.failure}).text = case.failure
        elif case.skipped is not None:
            ET.SubElement(tc, "skipped", {"message": case.skipped})
        if case.output:
            ET.SubElement(tc, "system-out").text = case.output
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"
