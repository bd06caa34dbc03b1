"""Each reader on reports written by the real tools (pytest-cov, ruff, mypy, vitest, eslint, tsc,
prettier), checked against the figures the tools print themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shipyard.gates import registry
from shipyard.gates.interface import Bundle, Count, Coverage, Findings, SuiteTotals, Unformatted


def read(kind: str, path: Path, base: Path | None = None) -> tuple[str, object]:
    return registry.read(kind, path, base or path.parent)


def test_cobertura_from_coverage_py_matches_its_json(py_sample: Path) -> None:
    fmt, cov = read("coverage", py_sample / "coverage.xml")
    totals = json.loads((py_sample / "coverage.json").read_text())["totals"]
    assert fmt == "Cobertura XML"
    assert isinstance(cov, Coverage)
    assert cov.totals["lines"].covered == totals["covered_lines"]
    assert cov.totals["lines"].total == totals["num_statements"]
    assert cov.totals["branches"].total == totals["num_branches"]
    extra = str(py_sample / "src" / "calc" / "extra.py")
    # clamp(5, 0, 3) returns high: `return low`, `return x` and never_called never ran
    assert cov.files[extra].uncovered == {6, 9, 13, 14}


def test_coverage_py_json_and_lcov_agree_with_cobertura(py_sample: Path) -> None:
    _, xml = read("coverage", py_sample / "coverage.xml")
    fmt_json, js = read("coverage", py_sample / "coverage.json")
    fmt_lcov, lc = read("coverage", py_sample / "coverage.lcov")
    assert (fmt_json, fmt_lcov) == ("coverage.py JSON", "lcov")
    assert isinstance(xml, Coverage) and isinstance(js, Coverage) and isinstance(lc, Coverage)
    assert js.totals["lines"] == xml.totals["lines"] == lc.totals["lines"]
    assert js.files == xml.files == lc.files
    # add, sign, clamp ran; untested, bad, triple, never_called did not
    assert lc.totals["functions"] == Count(3, 7)


def test_junit_from_pytest(py_sample: Path) -> None:
    fmt, tests = read("junit", py_sample / "junit.xml")
    assert fmt == "JUnit XML"
    assert isinstance(tests, SuiteTotals)
    assert (tests.tests, tests.failures, tests.errors, tests.skipped) == (3, 0, 0, 0)
    assert tests.time > 0


def test_ruff_json(py_sample: Path) -> None:
    fmt, found = read("lint", py_sample / "ruff.json")
    assert fmt.startswith("ruff JSON")
    assert isinstance(found, Findings)
    assert [(f.code, f.line, f.severity) for f in found.items] == [("F401", 1, "error")]
    assert found.items[0].file == str(py_sample / "src" / "calc" / "__init__.py")


@pytest.mark.parametrize("report", ["mypy.txt", "mypy.json"])
def test_mypy_text_and_json(py_sample: Path, report: str) -> None:
    _, found = read("typecheck", py_sample / report)
    assert isinstance(found, Findings)
    assert [(f.code, f.line, f.severity) for f in found.items] == [("return-value", 21, "error")]


def test_ruff_format_check(py_sample: Path) -> None:
    fmt, result = read("format", py_sample / "format.txt")
    assert fmt == "ruff format --check output"
    assert isinstance(result, Unformatted)
    assert result.count == 0


@pytest.mark.node
def test_vitest_lcov_summary_and_cobertura(ts_sample: Path) -> None:
    fmt, lc = read("coverage", ts_sample / "coverage" / "lcov.info", ts_sample)
    _, summary = read("coverage", ts_sample / "coverage" / "coverage-summary.json", ts_sample)
    _, xml = read("coverage", ts_sample / "coverage" / "cobertura-coverage.xml", ts_sample)
    assert fmt == "lcov"
    assert isinstance(lc, Coverage) and isinstance(summary, Coverage)
    assert isinstance(xml, Coverage)
    assert lc.totals["lines"] == summary.totals["lines"] == xml.totals["lines"]
    assert lc.totals["functions"] == summary.totals["functions"]
    assert set(summary.totals) == {"lines", "functions", "branches", "statements"}
    assert summary.files == {}  # json-summary has no per-line data
    assert lc.files == xml.files


@pytest.mark.node
def test_vitest_junit_eslint_tsc_prettier(ts_sample: Path) -> None:
    _, tests = read("junit", ts_sample / "junit.xml")
    assert isinstance(tests, SuiteTotals) and (tests.tests, tests.failures) == (2, 0)
    _, lint = read("lint", ts_sample / "eslint.json")
    assert isinstance(lint, Findings)
    assert [(f.code, f.severity) for f in lint.items] == [
        ("@typescript-eslint/no-unused-vars", "warning")
    ]
    _, types = read("typecheck", ts_sample / "tsc.txt")
    assert isinstance(types, Findings)
    assert [(f.code, f.line, f.column) for f in types.items] == [("TS2322", 19, 14)]
    fmt, unformatted = read("format", ts_sample / "prettier.txt")
    assert fmt.startswith("prettier")
    assert isinstance(unformatted, Unformatted) and unformatted.count == 0


def test_prettier_and_ruff_format_list_offenders(tmp_path: Path) -> None:
    prettier = tmp_path / "prettier.txt"
    prettier.write_text(
        "Checking formatting...\n[warn] src/a.ts\n[warn] src/b.ts\n"
        "[warn] Code style issues found in 2 files. Run Prettier with --write to fix.\n"
    )
    _, result = read("format", prettier)
    assert isinstance(result, Unformatted) and result.count == 2
    ruff = tmp_path / "format.txt"
    ruff.write_text(
        "Would reformat: a.py\n1 file would be reformatted, 3 files already formatted\n"
    )
    _, result = read("format", ruff)
    assert isinstance(result, Unformatted)
    assert (result.count, result.files) == (1, [str(tmp_path / "a.py")])


def test_pyright_json(tmp_path: Path) -> None:
    report = tmp_path / "pyright.json"
    diag = {
        "file": "/p/a.py",
        "severity": "error",
        "message": "bad",
        "rule": "reportX",
        "range": {"start": {"line": 4, "character": 2}, "end": {"line": 4, "character": 5}},
    }
    info = {**diag, "severity": "information"}
    report.write_text(
        json.dumps(
            {
                "version": "1.1.400",
                "time": "1",
                "generalDiagnostics": [diag, info],
                "summary": {"errorCount": 1},
            }
        )
    )
    _, found = read("typecheck", report)
    assert isinstance(found, Findings)
    assert [(f.file, f.line, f.column, f.code) for f in found.items] == [
        ("/p/a.py", 5, 3, "reportX")
    ]


def test_bundle_sizes(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.js").write_bytes(b"a" * 3000)
    (dist / "assets" / "big.js").write_bytes(bytes(range(256)) * 40)  # 10240 bytes
    fmt, bundle = read("bundle", dist)
    assert fmt == "a build output folder"
    assert isinstance(bundle, Bundle)
    assert (bundle.total, bundle.largest, bundle.largest_file, bundle.files) == (
        13240,
        10240,
        "assets/big.js",
        2,
    )
    assert 0 < bundle.gzip < bundle.total


def test_cobertura_made_in_another_folder(tmp_path: Path) -> None:
    # coverage.py in a CI container wrote <source>/app/src</source>; the file is here in src/
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "m.py").write_text("x = 1\n")
    report = tmp_path / "coverage.xml"
    report.write_text(
        '<coverage lines-valid="1" lines-covered="0"><sources><source>/app/src</source>'
        '</sources><packages><package name="pkg"><classes><class filename="pkg/m.py">'
        '<lines><line number="1" hits="0"/></lines></class></classes></package></packages>'
        "</coverage>"
    )
    _, cov = read("coverage", report)
    assert isinstance(cov, Coverage)
    assert list(cov.files) == [str(tmp_path / "src" / "pkg" / "m.py")]
    assert cov.files[str(tmp_path / "src" / "pkg" / "m.py")].uncovered == {1}
