"""The one JUnit parser (gates/junit.py) as the run's test index reads it: suites, outcomes,
files and the limits it shares with the gates. In-process, on small files in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard.gates.interface import ReportError
from shipyard.gates.junit import read_cases
from shipyard.pipeline import testcases

NESTED = """<?xml version="1.0"?>
<testsuites name="all">
  <testsuite name="outer" tests="4" failures="1" errors="1" time="1.5">
    <testcase classname="pkg.test_a" name="ok" time="0.25"/>
    <testsuite name="inner">
      <testcase classname="x" name="bad" file="t/x.test.ts" time="0.5"><failure/><error/></testcase>
      <testcase classname="x" name="err"><error/></testcase>
    </testsuite>
    <testcase classname="pkg.test_a" name="skip"><skipped/></testcase>
  </testsuite>
</testsuites>
"""


def test_cases_carry_their_innermost_suite_outcome_and_file(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "test_a.py").write_text("")
    report = tmp_path / "junit.xml"
    report.write_text(NESTED)
    cases = testcases.read(report, tmp_path)
    assert [(c.suite, c.name, c.outcome, c.file, c.duration) for c in cases] == [
        ("outer", "ok", "passed", "pkg/test_a.py", 0.25),
        ("inner", "bad", "failed", "t/x.test.ts", 0.5),  # a failure wins over an error
        ("inner", "err", "error", None, 0.0),
        ("outer", "skip", "skipped", "pkg/test_a.py", 0.0),
    ]
    totals = read_cases(report)  # the gates' count of the same report
    assert (totals.tests, totals.failures, totals.errors, totals.skipped) == (4, 1, 1, 1)
    assert totals.time == 1.5


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ('<testsuite tests="2"></testsuite>', "claims 2 tests (0 failed) but has no <testcase>"),
        ('<testsuite><testcase name="a" time="-1"/></testsuite>', "<testcase> has time='-1'"),
        ("<report/>", "root element <report>"),
    ],
)
def test_the_index_refuses_what_the_gates_refuse(tmp_path: Path, xml: str, message: str) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(xml)
    with pytest.raises(ReportError, match="not JUnit XML") as caught:
        testcases.read(report, tmp_path)
    assert message in caught.value.message
