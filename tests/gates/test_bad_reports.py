"""A missing, empty, truncated or wrong-format report is an error naming the file and the format
expected (exit 2), never a silent pass. Each message is checked word for word."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard.gates import registry
from shipyard.gates.interface import ReportError

COVERAGE = "Cobertura XML, lcov, coverage.py JSON or Istanbul json-summary"
INTERRUPTED = "the tool that writes it may have been interrupted; run its stage again"

CASES = [
    (
        "coverage",
        "missing.xml",
        None,
        f"missing.xml: report not found (expected a coverage report: {COVERAGE})",
    ),
    (
        "coverage",
        "empty.xml",
        " \n",
        f"empty.xml: report is empty (expected a coverage report: {COVERAGE})",
    ),
    (
        "coverage",
        "cut.xml",
        '<?xml version="1.0" ?>\n<coverage lines-valid="3">\n<packages>',
        "cut.xml: truncated XML at line 3 column 10 (expected Cobertura XML)",
    ),
    (
        "coverage",
        "cut.json",
        '{"meta": {"format": 3}, "totals": {"covered_lines": 1,',
        "cut.json: truncated JSON at line 1 column 55 (expected coverage.py JSON)",
    ),
    (
        "coverage",
        "junit.xml",
        '<testsuites><testsuite name="x"/></testsuites>',
        "junit.xml: not a coverage report in a format shipyard reads (expected "
        f"{COVERAGE}; found XML with root <testsuites>)",
    ),
    (
        "coverage",
        "cut.info",
        "TN:\nSF:src/a.ts\nDA:1,1\n",
        "cut.info: truncated or malformed lcov (the last record has no end_of_record; "
        "expected an lcov tracefile)",
    ),
    (
        "coverage",
        "bad.info",
        "SF:a.ts\nDA:one,1\nend_of_record\n",
        "bad.info: malformed lcov at line 2: 'one,1' is not a number (expected an lcov tracefile)",
    ),
    (
        "coverage",
        "summary.json",
        '{"total": {"lines": {"total": 1, "covered": 1}}}',
        'summary.json: not Istanbul json-summary: "total" has no "functions" object',
    ),
    (
        "coverage",
        "nolines.xml",
        "<coverage><packages/></coverage>",
        "nolines.xml: not Cobertura XML: the <coverage> element has no lines-valid",
    ),
    (
        "lint",
        "cut-ruff.json",
        '[{"filename": "a.py", "code": "F401"',
        "cut-ruff.json: truncated JSON at line 1 column 37 (expected ruff JSON "
        "(ruff check --output-format json))",
    ),
    (
        "lint",
        "object.json",
        '{"a": 1}',
        "object.json: not a lint report in a format shipyard reads (expected ruff JSON "
        "(ruff check --output-format json) or ESLint JSON (eslint -f json); found a JSON object)",
    ),
    (
        "typecheck",
        "mypy.txt",
        "src/a.py:1: error: Bad  [misc]\n",
        "mypy.txt: not mypy output (mypy > mypy.txt, or mypy -O json): no summary line: "
        "truncated, or run with --no-error-summary",
    ),
    (
        "typecheck",
        "tsc.txt",
        "src/a.ts(1,2): error TS2322: Type 'string' is not assignable.\n",
        'tsc.txt: not tsc output (tsc --noEmit --diagnostics > tsc.txt): no "Files:" '
        "statistics: truncated, or tsc ran without --diagnostics",
    ),
    (
        "format",
        "prettier.txt",
        "Checking formatting...\n[warn] src/a.ts\n",
        "prettier.txt: not prettier --check output (prettier --check . > prettier.txt 2>&1): "
        "no closing line from prettier: truncated?",
    ),
    (
        "junit",
        "cov.xml",
        '<coverage lines-valid="1"/>',
        "cov.xml: not a junit report in a format shipyard reads (expected JUnit XML; found XML "
        "with root <coverage>)",
    ),
    (
        "bundle",
        "dist",
        None,
        "dist: report not found (expected a build output folder)",
    ),
]


@pytest.mark.parametrize(("kind", "name", "text", "message"), CASES, ids=[c[1] for c in CASES])
def test_bad_report_message(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    name: str,
    text: str | None,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    if text is not None:
        (tmp_path / name).write_text(text)
    with pytest.raises(ReportError) as info:
        registry.read(kind, tmp_path / name, tmp_path)
    assert info.value.message == message
    assert info.value.exit_code == 2


def test_truncated_report_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.json").write_text('{"meta": {}, "totals": {')
    with pytest.raises(ReportError) as info:
        registry.read("coverage", tmp_path / "c.json", tmp_path)
    assert info.value.hint == INTERRUPTED


def test_empty_build_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dist").mkdir()
    with pytest.raises(ReportError, match=r"^dist: the build output folder is empty$"):
        registry.read("bundle", tmp_path / "dist", tmp_path)
