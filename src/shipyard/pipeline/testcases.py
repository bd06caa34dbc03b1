"""Merge the JUnit XML reports that stages declare into one per run, and index the test cases.

Readers: pytest (`--junitxml`, xunit1 and xunit2), vitest and jest (junit reporters), parsed by
gates/junit.py. The test file is taken from the `file` attribute when present, else derived from
a pytest classname.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from shipyard.store import Store, write_atomic


@dataclass(frozen=True)
class Case:
    suite: str
    classname: str
    name: str
    file: str | None
    duration: float
    outcome: str  # passed, failed, error, skipped


def read(path: Path, root: Path) -> list[Case]:
    """Every test case of the report, through the gates' one JUnit parser (streamed, with its
    limits and messages); a missing or malformed report is a `ReportError` (exit 2)."""
    from shipyard.gates import junit

    cases: list[Case] = []

    def keep(tc: junit.ReportedCase) -> None:
        file = tc.file or _file_from_classname(tc.classname, root)
        cases.append(Case(tc.suite, tc.classname, tc.name, file, tc.time, tc.outcome))

    junit.read_cases(path, keep)
    return cases


def _file_from_classname(classname: str, root: Path) -> str | None:
    parts = classname.split(".")
    for end in range(len(parts), 0, -1):
        candidate = "/".join(parts[:end]) + ".py"
        if (root / candidate).is_file():
            return candidate
    return None


def merge(store: Store, run_id: int, reports: list[tuple[str, Path, Path]]) -> Path | None:
    """Index every case and write `.shipyard/runs/ID/junit.xml`; None when no report exists.

    `reports` are (stage, report path, the stage's folder); test files are relative to the
    stage's folder, as the test runner saw them.
    """
    all_cases: list[tuple[str, Case]] = []
    for stage, path, base in reports:
        if path.is_file():
            all_cases += [(stage, c) for c in read(path, base)]
    if not all_cases:
        return None
    from shipyard.pipeline import history

    history.record_test_cases(
        store,
        run_id,
        [(s, c.suite, c.classname, c.name, c.file, c.duration, c.outcome) for s, c in all_cases],
    )
    out = ET.Element("testsuites", name=f"shipyard run {run_id}")
    for stage in dict.fromkeys(s for s, _ in all_cases):
        cases = [c for s, c in all_cases if s == stage]
        suite = ET.SubElement(
            out,
            "testsuite",
            name=stage,
            tests=str(len(cases)),
            failures=str(sum(c.outcome == "failed" for c in cases)),
            errors=str(sum(c.outcome == "error" for c in cases)),
            skipped=str(sum(c.outcome == "skipped" for c in cases)),
            time=f"{sum(c.duration for c in cases):.3f}",
        )
        for c in cases:
            el = ET.SubElement(
                suite, "testcase", classname=c.classname, name=c.name, time=f"{c.duration:.3f}"
            )
            if c.file:
                el.set("file", c.file)
            if c.outcome in ("failed", "error", "skipped"):
                ET.SubElement(el, {"failed": "failure"}.get(c.outcome, c.outcome))
    out.set("tests", str(len(all_cases)))
    out.set("failures", str(sum(c.outcome == "failed" for _, c in all_cases)))
    path = store.dir / "runs" / str(run_id) / "junit.xml"
    write_atomic(path, ET.tostring(out, encoding="unicode", xml_declaration=True))
    return path
