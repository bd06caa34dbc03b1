"""Property-based fuzzing of every report format through the real `shipyard gate` (issue 13).

Valid reports (consistent counts) must give exit 0 or 1; reports with any value replaced by a
hostile one (negative, huge, inf, NaN, a string, a list, non-ASCII digits) may be rejected, but
only with exit 2 naming the report, never a traceback or exit 3.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.contract import shipyard

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)

HOSTILE_TEXT = st.sampled_from(
    ["-1", "1e999", "-1e9", "inf", "nan", "NaN", "", " ", "x", "٣", "1.5", "99999999999999999999"]
)
HOSTILE_JSON: st.SearchStrategy[Any] = st.one_of(
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([None, True, "x", [], {}, [1], {"a": 1}, "٣", -1]),
)
SMALL = st.integers(0, 50)


def _definition(kind: str, name: str) -> str:
    return f'[stages.check]\nrun = "true"\nreports = {{ {kind} = "{name}" }}\n\n[gates]\n'


def _gate(kind: str, name: str, content: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "shipyard.toml").write_text(_definition(kind, name))
        (project / name).write_text(content)
        outcome = shipyard(project, "gate")
        if outcome.code == 2:
            assert name in outcome.stderr, outcome.stderr
        return outcome.code


@st.composite
def cobertura(draw: st.DrawFn, hostile: bool) -> str:
    files = draw(st.lists(st.sampled_from(["a.py", "b.py", "pkg/c.py"]), max_size=3, unique=True))
    lines: list[tuple[str, str, str]] = []
    body = []
    for f in files:
        rows = []
        for n in draw(st.lists(st.integers(1, 500), max_size=6, unique=True)):
            hits = str(draw(SMALL))
            lines.append((f, str(n), hits))
            rows.append((str(n), hits))
        if hostile and rows and draw(st.booleans()):
            rows[0] = (draw(HOSTILE_TEXT), rows[0][1])
        if hostile and rows and draw(st.booleans()):
            rows[-1] = (rows[-1][0], draw(HOSTILE_TEXT))
        cells = "".join(f'<line number="{n}" hits="{h}"/>' for n, h in rows)
        body.append(f'<class filename="{f}"><lines>{cells}</lines></class>')
    valid = len(lines)
    covered = sum(1 for _, _, h in lines if h != "0")
    attrs = {"lines-valid": str(valid), "lines-covered": str(covered)}
    if hostile:
        attrs[draw(st.sampled_from(sorted(attrs)))] = draw(HOSTILE_TEXT)
    shown = " ".join(f'{k}="{v}"' for k, v in attrs.items())
    classes = "".join(body)
    return f"<coverage {shown}><packages><package><classes>{classes}</classes></package>" + (
        "</packages></coverage>"
    )


@st.composite
def lcov(draw: st.DrawFn, hostile: bool) -> str:
    out = []
    for f in draw(st.lists(st.sampled_from(["a.ts", "b.ts"]), min_size=1, unique=True)):
        rows = [(n, draw(SMALL)) for n in draw(st.lists(st.integers(1, 300), unique=True))]
        lf, lh = str(len(rows)), str(sum(1 for _, h in rows if h))
        cells = [f"DA:{n},{h}" for n, h in rows]
        if hostile:
            which = draw(st.sampled_from(["lf", "lh", "da"]))
            bad = draw(HOSTILE_TEXT)
            lf, lh = (bad, lh) if which == "lf" else (lf, bad) if which == "lh" else (lf, lh)
            cells = [f"DA:{bad},1", *cells] if which == "da" else cells
        out.append("\n".join(["TN:", f"SF:{f}", *cells, f"LF:{lf}", f"LH:{lh}", "end_of_record"]))
    return "\n".join(out) + "\n"


@st.composite
def coverage_json(draw: st.DrawFn, hostile: bool) -> str:
    total = draw(SMALL)
    totals: dict[str, Any] = {"covered_lines": draw(st.integers(0, total)), "num_statements": total}
    files: dict[str, Any] = {"a.py": {"executed_lines": [1, 2], "missing_lines": [3]}}
    if hostile:
        value = draw(HOSTILE_JSON)
        where = draw(st.sampled_from(["covered", "statements", "file", "executed", "files"]))
        if where == "covered":
            totals["covered_lines"] = value
        elif where == "statements":
            totals["num_statements"] = value
        elif where == "file":
            files["a.py"] = value
        elif where == "executed":
            files["a.py"]["executed_lines"] = value
        else:
            files = value
    return json.dumps({"meta": {"format": 3}, "totals": totals, "files": files})


@st.composite
def junit(draw: st.DrawFn, hostile: bool) -> str:
    cases = draw(st.lists(st.sampled_from(["", "<failure/>", "<error/>", "<skipped/>"])))
    attrs = {
        "tests": str(len(cases)),
        "failures": str(cases.count("<failure/>")),
        "errors": str(cases.count("<error/>")),
        "time": str(draw(st.floats(0, 1e4))),
    }
    if hostile:
        attrs[draw(st.sampled_from(sorted(attrs)))] = draw(HOSTILE_TEXT)
        if draw(st.booleans()):
            cases = []
    shown = " ".join(f'{k}="{v}"' for k, v in attrs.items())
    body = "".join(f'<testcase name="t{i}">{c}</testcase>' for i, c in enumerate(cases))
    return f"<testsuites><testsuite {shown}>{body}</testsuite></testsuites>"


@st.composite
def ruff_json(draw: st.DrawFn, hostile: bool) -> str:
    items: list[Any] = [
        {"filename": "a.py", "code": "F401", "message": "m", "location": {"row": r, "column": 1}}
        for r in draw(st.lists(st.integers(1, 99), max_size=4))
    ]
    if hostile:
        items.append({"filename": "b.py", "location": draw(HOSTILE_JSON)})
        items.append({"filename": "b.py", "location": {"row": draw(HOSTILE_JSON)}})
    return json.dumps(items)


@st.composite
def eslint_json(draw: st.DrawFn, hostile: bool) -> str:
    messages: list[Any] = [
        {"line": draw(st.integers(1, 99)), "column": 1, "severity": draw(st.sampled_from([1, 2]))}
        for _ in range(draw(st.integers(0, 3)))
    ]
    if hostile:
        messages.append(
            draw(st.one_of(HOSTILE_JSON, st.builds(lambda v: {"line": v}, HOSTILE_JSON)))
        )
    return json.dumps([{"filePath": "a.js", "messages": messages}])


@st.composite
def mypy_text(draw: st.DrawFn, hostile: bool) -> str:
    n = draw(st.integers(0, 4))
    lines = [f"src/a.py:{i + 1}: error: bad thing  [misc]" for i in range(n)]
    claimed = draw(st.integers(0, 9)) if hostile else n
    summary = (
        f"Found {claimed} error{'s' if claimed != 1 else ''} in 1 file (checked 3 source files)"
        if claimed
        else "Success: no issues found in 3 source files"
    )
    return "\n".join([*lines, summary]) + "\n"


FORMATS = [
    ("coverage", "coverage.xml", cobertura),
    ("coverage", "lcov.info", lcov),
    ("coverage", "coverage.json", coverage_json),
    ("junit", "junit.xml", junit),
    ("lint", "ruff.json", ruff_json),
    ("lint", "eslint.json", eslint_json),
    ("typecheck", "mypy.txt", mypy_text),
]


@st.composite
def report(draw: st.DrawFn, hostile: bool) -> tuple[str, str, str]:
    kind, name, make = draw(st.sampled_from(FORMATS))
    return kind, name, draw(make(hostile))


@settings(FUZZ, max_examples=60)
@given(report(hostile=False))
def test_valid_reports_are_never_input_errors(case: tuple[str, str, str]) -> None:
    kind, name, content = case
    code = _gate(kind, name, content)
    assert code in (0, 1), content


@settings(FUZZ, max_examples=80)
@given(report(hostile=True))
def test_hostile_reports_never_crash(case: tuple[str, str, str]) -> None:
    _gate(*case)
