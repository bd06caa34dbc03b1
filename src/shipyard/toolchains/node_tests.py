"""Node test stages: vitest, jest, mocha or `bun test` (from the dependencies, the test script or
a config file in any of its names), with JUnit and coverage reporter flags so the gates have
reports to read."""

from __future__ import annotations

import re
from pathlib import Path

from shipyard.toolchains.interface import BUDGETS, Proposal, StageTable

EXTS = ("ts", "mts", "cts", "js", "mjs", "cjs")
CONFIGS = {
    "vitest": [f"vitest.config.{e}" for e in EXTS] + [f"vitest.workspace.{e}" for e in EXTS],
    "jest": [f"jest.config.{e}" for e in (*EXTS, "json")],
    "mocha": [f".mocharc.{e}" for e in ("js", "cjs", "json", "jsonc", "yml", "yaml")],
}
NO_TEST = "no test specified"
REPORTER_FLAGS = ("--reporter", "-R", "--reporter-option", "--reporter-options", "-O")
BUN_REPORTS = (
    " --reporter=junit --reporter-outfile=junit.xml --coverage --coverage-reporter=lcov"
    " --coverage-reporter=text --coverage-dir=coverage"
)
BUN_FILES = {"junit": "junit.xml", "coverage": "coverage/lcov.info"}
VITEST_REPORTS = " --reporter=default --reporter=junit --outputFile.junit=junit.xml"
VITEST_COVERAGE = (
    " --coverage.enabled --coverage.reportsDirectory=coverage --coverage.reporter=lcov"
    " --coverage.reporter=text-summary"
)


def runner(root: Path, scripts: dict[str, str], deps: dict[str, str]) -> tuple[str | None, str]:
    """The test runner and the file that names it."""
    for name, configs in CONFIGS.items():
        found = next((c for c in configs if (root / c).is_file()), None)
        if found:
            return name, found
    if re.search(r"(^|&&\s*)bun test\b", scripts.get("test", "")):
        return "bun", "package.json scripts.test"
    for name in CONFIGS:
        if name in scripts.get("test", ""):
            return name, "package.json scripts.test"
    for name in CONFIGS:
        if name in deps:
            return name, "package.json devDependencies"
    return None, "package.json"


def _vitest(root: Path, config: str, deps: dict[str, str], out: Proposal) -> StageTable:
    text = (root / config).read_text(errors="replace") if (root / config).is_file() else ""
    command = "vitest run"
    reports: dict[str, str] = {}
    if "junit" not in text:
        command += VITEST_REPORTS
        reports["junit"] = "junit.xml"
    else:
        out.guess("vitest's config writes JUnit itself: declare its path in reports.junit", config)
    command += VITEST_COVERAGE
    reports["coverage"] = "coverage/lcov.info"
    if any(p in deps for p in ("@vitest/coverage-v8", "@vitest/coverage-istanbul")):
        out.guess("coverage: @vitest/coverage-*, lcov in coverage/lcov.info", "package.json")
    else:
        # the plan's coverage gates need a measurement: wire it, and say what to install
        out.guess(
            "coverage: @vitest/coverage-v8 is not a devDependency: add it "
            "(npm i -D @vitest/coverage-v8); the unit stage measures coverage with it",
            "package.json",
        )
    return {"run": command, "reports": reports}


def _jest(deps: dict[str, str], out: Proposal) -> StageTable:
    # jest ships no JUnit reporter: jest-junit is the one its docs name. Wired either way (the
    # tests gate needs the report); when absent init says to add it, as for vitest coverage.
    if "jest-junit" not in deps:
        out.guess(
            "JUnit: jest-junit is not a devDependency: add it (npm i -D jest-junit); "
            "the unit stage writes junit.xml with it",
            "package.json",
        )
    return {
        "run": "jest --ci --coverage --coverageReporters=lcov --coverageReporters=text-summary"
        " --reporters=default --reporters=jest-junit",
        "reports": {"junit": "junit.xml", "coverage": "coverage/lcov.info"},
        "env": {"JEST_JUNIT_OUTPUT_FILE": "junit.xml"},
    }


def _mocha(scripts: dict[str, str], deps: dict[str, str], out: Proposal) -> StageTable:
    """mocha under c8 (or nyc) for lcov coverage, with JUnit from mocha-junit-reporter when
    the project has it, else mocha's built-in xunit reporter (the same XML, no dependency)."""
    words = _mocha_words(scripts.get("test", ""))
    cover = next((c for c in ("c8", "nyc") if c in deps), None)
    if cover is None:
        cover = "c8"
        out.guess(
            "coverage: c8 is not a devDependency: add it (npm i -D c8); "
            "the unit stage measures coverage with it",
            "package.json",
        )
    else:
        out.guess(f"coverage: {cover}, lcov in coverage/lcov.info", "package.json")
    folder = "--reports-dir=coverage" if cover == "c8" else "--report-dir=coverage"
    command = f"{cover} --reporter=lcov --reporter=text-summary {folder} {words}"
    if "mocha-junit-reporter" in deps:
        out.guess("JUnit: mocha-junit-reporter", "package.json")
        command += " --reporter mocha-junit-reporter --reporter-option mochaFile=junit.xml"
    else:
        out.guess("JUnit: mocha's built-in xunit reporter (no dependency needed)", "mocha")
        command += " --reporter xunit --reporter-option output=junit.xml"
    return {"run": command, "reports": {"junit": "junit.xml", "coverage": "coverage/lcov.info"}}


def _mocha_words(script: str) -> str:
    """The mocha command of the `test` script (its spec and options kept; what wraps it, such
    as c8 or nyc, and its own reporter dropped), or plain `mocha` (.mocharc names the spec)."""
    for part in script.split("&&"):
        words = part.split()
        if "mocha" not in words:
            continue
        kept: list[str] = []
        skip = False
        for w in words[words.index("mocha") :]:
            if skip:
                skip = False
            elif w in REPORTER_FLAGS:
                skip = True
            elif not w.startswith(tuple(f"{f}=" for f in REPORTER_FLAGS)):
                kept.append(w)
        return " ".join(kept)
    return "mocha"


def stages(
    root: Path, scripts: dict[str, str], deps: dict[str, str], pm: str, built: bool, out: Proposal
) -> dict[str, StageTable]:
    from shipyard.toolchains.node import TS_INPUTS

    name, source = runner(root, scripts, deps)
    script = next(
        (s for s in ("test:unit", "test") if s in scripts and NO_TEST not in scripts[s]), None
    )
    result: dict[str, StageTable] = {}
    if name == "vitest":
        out.guess("test runner: vitest (`vitest run` with JUnit and coverage flags)", source)
        result["unit"] = _vitest(root, source, deps, out)
    elif name == "jest":
        out.guess("test runner: jest (with coverage and JUnit reporters)", source)
        result["unit"] = _jest(deps, out)
    elif name == "bun":
        out.guess("test runner: bun's own (`bun test` with its JUnit and lcov reporters)", source)
        result["unit"] = {"run": "bun test" + BUN_REPORTS, "reports": dict(BUN_FILES)}
    elif name == "mocha":
        out.guess("test runner: mocha (under a coverage tool, with a JUnit reporter)", source)
        result["unit"] = _mocha(scripts, deps, out)
    elif script:
        out.guess(
            f"test runner: the `{script}` script (no reports: gates read n/a)", "package.json"
        )
        result["unit"] = {"run": f"{pm} run {script}", "reports": {}}
    else:
        out.guess("tests: none found (no test script, vitest, jest or mocha)", "package.json")
    for layer in ("integration", "e2e"):
        if f"test:{layer}" in scripts:
            result[layer] = {
                "run": f"{pm} run test:{layer}",
                "needs": ["build"] if built else [],
                "reports": {},
            }
    for layer, table in result.items():
        if not table["reports"]:
            del table["reports"]
        else:
            table["outputs"] = sorted({r.split("/")[0] for r in table["reports"].values()})
            out.ignore += [f"{o}/" if o == "coverage" else o for o in table["outputs"]]
        table["inputs"] = TS_INPUTS
        table["budget"] = BUDGETS[layer]
        table["release"] = True
    _bench(root, name, out)
    return result


def _bench(root: Path, name: str | None, out: Proposal) -> None:
    if name != "vitest":
        return
    for folder in ("bench", "benchmarks", "src", "test", "tests"):
        found = (
            next(iter(sorted((root / folder).rglob("*.bench.*"))), None)
            if (root / folder).is_dir()
            else None
        )
        if found:
            out.guess("benchmarks: vitest bench", str(found.relative_to(root)))
            out.bench["vitest"] = {
                "command": "vitest bench --run --outputJson .bench-out/vitest.json",
                "results": ".bench-out/vitest.json",
                "format": "vitest",
            }
            out.ignore.append(".bench-out/")
            return
