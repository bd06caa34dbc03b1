"""One test per report root cause of issue 13: impossible or malformed reports are rejected
(exit 2, naming the file and what is wrong), through the real `shipyard gate`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shipyard.gates import registry
from shipyard.gates.interface import ReportError
from tests.fuzz.contract import rejected, shipyard

DEFINITION = """\
[stages.check]
run = "true"
reports = {{ {kind} = "{name}" }}

[gates]
"""

COBERTURA = '<?xml version="1.0" ?>\n<coverage lines-valid="{valid}" lines-covered="{covered}">\n'
COBERTURA_END = "<packages/></coverage>\n"

# (kind, file name, content, fragments the message must hold)
CASES = [
    ("coverage", "c.xml", COBERTURA.format(valid="1e999", covered=1) + COBERTURA_END, ["inf"]),
    ("coverage", "c.xml", COBERTURA.format(valid=-5, covered=0) + COBERTURA_END, ["-5"]),
    ("coverage", "c.xml", COBERTURA.format(valid=5, covered=9) + COBERTURA_END, ["9 covered of 5"]),
    ("coverage", "c.xml", COBERTURA.format(valid="٣", covered=0) + COBERTURA_END, ["'٣'"]),
    (
        "coverage",
        "c.xml",
        COBERTURA.format(valid=1, covered=1)
        + '<packages><package><classes><class filename="a.py"><lines>'
        '<line number="-3" hits="1"/></lines></class></classes></package></packages></coverage>',
        ["number='-3'"],
    ),
    (  # line numbers are kept as 4-byte integers: a bigger one is not a line of a file
        "coverage",
        "c.xml",
        COBERTURA.format(valid=1, covered=1)
        + '<packages><package><classes><class filename="a.py"><lines>'
        '<line number="4294967296" hits="1"/></lines></class></classes></package></packages>'
        "</coverage>",
        ["number='4294967296'", "expected a line number"],
    ),
    ("coverage", "c.info", "SF:a.py\nDA:99999999999,1\nend_of_record\n", ["line 2", "line number"]),
    (
        "coverage",
        "c.json",
        '{"meta": {}, "totals": {"covered_lines": 1, "num_statements": 1},'
        ' "files": {"a.py": {"executed_lines": [1, 4294967296]}}}',
        ["files.a.py.executed_lines", "4294967296"],
    ),
    (
        "coverage",
        "c.info",
        "SF:a.py\nDA:1,1\nLF:-10\nLH:0\nend_of_record\n",
        ["line 3", "negative"],
    ),
    ("coverage", "c.info", "SF:a.py\nDA:1,1\nLF:1\nLH:4\nend_of_record\n", ["4 covered of 1"]),
    ("coverage", "c.info", "SF:a.py\nDA:1\nend_of_record\n", ["line 2"]),
    (
        "coverage",
        "c.json",
        '{"meta": {}, "totals": {"covered_lines": 1e400, "num_statements": 3}}',
        ["out of range"],
    ),
    ("coverage", "c.json", '{"meta": {}, "totals": {"covered_lines": NaN}}', ["NaN"]),
    (
        "coverage",
        "c.json",
        '{"meta": {}, "totals": {"covered_lines": "many", "num_statements": 3}}',
        ["covered_lines" if False else "lines covered"],
    ),
    (
        "coverage",
        "c.json",
        '{"meta": {}, "totals": {"covered_lines": 1, "num_statements": 3}, "files": [1]}',
        ['"files" is not an object'],
    ),
    (
        "coverage",
        "c.json",
        '{"meta": {}, "totals": {"covered_lines": 1, "num_statements": 3},'
        ' "files": {"a.py": {"executed_lines": 5}}}',
        ["files.a.py.executed_lines"],
    ),
    ("junit", "j.xml", '<testsuite tests="5" failures="5"></testsuite>', ["no <testcase>"]),
    ("junit", "j.xml", '<testsuite tests="2" failures="3"><testcase/></testsuite>', ["claims 3"]),
    ("junit", "j.xml", '<testsuite time="-1e9"><testcase/></testsuite>', ["time='-1e9'"]),
    ("junit", "j.xml", '<testsuite time="inf"><testcase/></testsuite>', ["time='inf'"]),
    ("junit", "j.xml", '<testsuite tests="-1"><testcase/></testsuite>', ["tests"]),
    ("typecheck", "m.txt", "Found 5 errors in 1 file (checked 2 source files)\n", ["counts 5"]),
    (
        "typecheck",
        "m.txt",
        "a.py:1: error: bad  [misc]\nSuccess: no issues found in 1 source file\n",
        ["counts 0 errors but 1"],
    ),
    ("typecheck", "m.txt", '{"file": "a.py", "line": "x", "severity": "error"}\n', ["line"]),
    ("typecheck", "m.txt", '{"file": "a.py", "line": NaN}\n', ["impossible JSON line"]),
    ("typecheck", "m.txt", "[1]\n", ["found a JSON list"]),
    ("lint", "r.json", '[{"filename": "a.py", "location": {"row": "x"}}]', ["location.row"]),
    ("lint", "r.json", '[{"filename": "a.py", "location": 5}]', ["item 0 location"]),
    ("lint", "r.json", '[{"filename": "a.py", "location": {"row": -2}}]', ["-2"]),
    ("lint", "e.json", '[{"filePath": "a.js", "messages": [5]}]', ["item 0 message 0"]),
    (
        "lint",
        "e.json",
        '[{"filePath": "a.js", "messages": [{"line": [1], "severity": 2}]}]',
        ["item 0 message 0 line"],
    ),
    (
        "typecheck",
        "p.json",
        '{"version": "1", "time": "1", "generalDiagnostics": [{"severity": "error",'
        ' "range": {"start": {"line": "zero"}}}], "summary": {}}',
        ["generalDiagnostics[0] line"],
    ),
    (
        "typecheck",
        "p.json",
        '{"version": "1", "time": "1", "generalDiagnostics": ["x"], "summary": {}}',
        ["generalDiagnostics[0] is not an object"],
    ),
    (
        "lint",
        "r.json",
        '[{"filename": "a.py", "x": ' + "[" * 100_000 + "]" * 100_000 + "}]",
        ["nested too deeply"],
    ),
    ("lint", "r.json", b'[{"filename": "caf\xe9.py"}]', ["not UTF-8", "byte offset 18"]),
]


@pytest.mark.parametrize(("kind", "name", "content", "where"), CASES)
def test_impossible_report_is_rejected(
    tmp_path: Path, kind: str, name: str, content: str | bytes, where: list[str]
) -> None:
    (tmp_path / "shipyard.toml").write_text(DEFINITION.format(kind=kind, name=name))
    report = tmp_path / name
    report.write_bytes(content if isinstance(content, bytes) else content.encode())
    rejected(shipyard(tmp_path, "gate"), name, *where)


def test_report_that_is_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "shipyard.toml").write_text(DEFINITION.format(kind="junit", name="j.xml"))
    os.symlink("k.xml", tmp_path / "j.xml")
    os.symlink("j.xml", tmp_path / "k.xml")
    rejected(shipyard(tmp_path, "gate"), "j.xml", "symbolic links")


def test_report_read_error_is_a_report_error(tmp_path: Path) -> None:
    """A read that fails after the file was found (EISDIR from a FIFO stand-in: a folder)."""
    (tmp_path / "j.xml").mkdir()
    with pytest.raises(ReportError, match="is a folder"):
        registry.read("junit", tmp_path / "j.xml", tmp_path)


def test_bundle_with_a_non_utf8_file_name(tmp_path: Path) -> None:
    (tmp_path / "shipyard.toml").write_text(
        '[stages.build]\nrun = "true"\nreports = { bundle = "dist" }\n\n[gates]\n'
    )
    dist = tmp_path / "dist"
    dist.mkdir()
    name = os.fsdecode(b"app-\xff.js")
    (dist / name).write_bytes(b"x" * 5000)
    (dist / "small.js").write_bytes(b"y")
    outcome = shipyard(tmp_path, "gate", "--format", "json")
    assert outcome.code in (0, 1), outcome.stderr
    _, bundle = registry.read("bundle", dist, tmp_path)
    assert bundle.files == 2 and bundle.total == 5001  # type: ignore[union-attr]
    assert bundle.largest_file == "app-\ufffd.js"  # type: ignore[union-attr]


def test_junit_that_is_valid_still_counts(tmp_path: Path) -> None:
    report = tmp_path / "j.xml"
    report.write_text(
        '<testsuites><testsuite tests="3" failures="1" time="1.5">'
        '<testcase name="a"/><testcase name="b"><failure/></testcase>'
        '<testsuite tests="1" time="9"><testcase name="c"><skipped/></testcase></testsuite>'
        "</testsuite></testsuites>"
    )
    _, totals = registry.read("junit", report, tmp_path)
    assert (totals.tests, totals.failures, totals.skipped, totals.time) == (3, 1, 1, 1.5)  # type: ignore[union-attr]
