"""The generic renderers in shipyard.formats (markdown tables, JUnit XML) used by the gates."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from shipyard.formats import junit, markdown


def test_markdown_table_escapes_cells() -> None:
    text = markdown.table(("a", "b"), [("x|y", "line\nbreak"), (None, 3)], align="lr")
    assert text == ("| a | b |\n| --- | ---: |\n| x\\|y | line<br>break |\n|  | 3 |\n")


def test_markdown_table_align_must_match() -> None:
    with pytest.raises(ValueError, match="align 'l' does not match 2 columns"):
        markdown.table(("a", "b"), [], align="l")


def test_markdown_details() -> None:
    assert markdown.details("more", "- a") == (
        "<details><summary>more</summary>\n\n- a\n</details>\n"
    )


def test_junit_render_counts_and_elements() -> None:
    text = junit.render(
        "checks",
        [
            junit.Case("ok", "c", 0.5),
            junit.Case("bad", "c", failure="too low & <wrong>"),
            junit.Case("skip", "c", skipped="no report"),
        ],
    )
    root = ET.fromstring(text)
    suite = root.find("testsuite")
    assert suite is not None
    assert {k: suite.get(k) for k in ("tests", "failures", "skipped", "time")} == {
        "tests": "3",
        "failures": "1",
        "skipped": "1",
        "time": "0.500",
    }
    failure = root.find(".//testcase[@name='bad']/failure")
    assert failure is not None and failure.get("message") == "too low & <wrong>"
    assert root.find(".//testcase[@name='skip']/skipped") is not None


def test_figures_by_unit() -> None:
    from shipyard.gates import render

    assert render.figure(54.5454, "%") == "54.55 %"
    assert render.figure(5_000_000, "bytes") == "5.00 MB"
    assert render.figure(1536, "bytes") == "1.54 kB"
    assert render.figure(999, "bytes") == "999 B"
    assert render.figure(65, "seconds") == "1m05s"
    assert render.figure(3, "count") == "3"
    assert render.figure(None, "%") == "n/a"


def test_change_is_signed() -> None:
    from shipyard.gates import render
    from shipyard.gates.interface import GateResult, GateStatus

    result = GateResult("lint.errors", "<=", 0, 1, "count", GateStatus.FAILED, change=-2)
    assert render.change(result) == "-2"
    result.change = 1.5
    result.unit = "%"
    assert render.change(result) == "+1.50 %"


def test_workflow_commands_escape_properties_and_message() -> None:
    from shipyard.gates import render
    from shipyard.gates.interface import Finding

    finding = Finding("a,b:c.py", 3, 4, "warning", "W1", "50% done\nnext")
    assert render.workflow_commands([finding]) == [
        "::warning file=a%2Cb%3Ac.py,line=3,col=4,title=W1::50%25 done%0Anext [W1]"
    ]
