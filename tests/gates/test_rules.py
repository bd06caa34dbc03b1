"""Gate evaluation and the [gates] section, as pure logic on plain data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shipyard import config
from shipyard.errors import ConfigError
from shipyard.gates import rules, settings
from shipyard.gates.diffcov import ChangedCoverage
from shipyard.gates.interface import (
    Bundle,
    Count,
    Coverage,
    Finding,
    Findings,
    GateStatus,
    SuiteTotals,
)


def cfg(gates: dict[str, Any]) -> settings.GateConfig:
    definition = config.parse({"gates": gates}, Path("/p/shipyard.toml"))
    return settings.load(definition)


def results(
    inputs: rules.Inputs,
    gates: dict[str, Any] | None = None,
    baseline: dict[str, float] | None = None,
) -> dict[str, tuple[Any, ...]]:
    judged = rules.judge(cfg(gates or {}), rules.measure(inputs), baseline or {})
    return {r.gate: (r.status, r.actual, r.threshold, r.change) for r in judged}


def finding(severity: str) -> Finding:
    return Finding("a.py", 1, 1, severity, "X1", "msg")


def test_plan_defaults() -> None:
    c = cfg({})
    assert c.thresholds["coverage.lines"] == 80.0
    assert c.thresholds["coverage.branches"] == 75.0
    assert c.thresholds["coverage.changed_lines"] == 80.0
    assert c.thresholds["bundle.total"] == 5_000_000
    assert c.thresholds["bundle.gzip"] == 1_000_000
    assert c.thresholds["tests.time"] == 300
    assert c.thresholds["build.time"] == 180
    assert c.thresholds["lint.warnings"] == "baseline"
    assert (c.base, c.warn_only, c.explicit) == ("main", False, set())


def test_coverage_boundaries() -> None:
    at = Coverage({"lines": Count(80, 100), "branches": Count(749, 1000)})
    got = results(rules.Inputs(coverage=[at]))
    assert got["coverage.lines"][:2] == (GateStatus.PASSED, 80.0)
    assert got["coverage.branches"][:2] == (GateStatus.FAILED, 74.9)
    assert got["coverage.functions"][0] == GateStatus.SKIPPED  # Cobertura has none


def test_coverage_counts_add_up_across_reports() -> None:
    py = Coverage({"lines": Count(70, 100)})
    ts = Coverage({"lines": Count(30, 30), "functions": Count(9, 10)})
    got = results(rules.Inputs(coverage=[py, ts]))
    assert got["coverage.lines"][1] == 100 * 100 / 130
    assert got["coverage.functions"][:2] == (GateStatus.PASSED, 90.0)


def test_changed_lines_gate() -> None:
    changed = ChangedCoverage("abc", measured=10, uncovered=3)
    got = results(rules.Inputs(coverage=[Coverage({"lines": Count(1, 1)})], changed=changed))
    assert got["coverage.changed_lines"][:2] == (GateStatus.FAILED, 70.0)
    nothing = ChangedCoverage("abc")
    got = results(rules.Inputs(coverage=[Coverage({"lines": Count(1, 1)})], changed=nothing))
    assert got["coverage.changed_lines"][0] == GateStatus.SKIPPED


def test_lint_warnings_against_the_main_branch_baseline() -> None:
    lint = Findings([finding("warning")] * 4 + [finding("error")])
    first = results(rules.Inputs(lint=[lint]))
    assert first["lint.warnings"] == (GateStatus.PASSED, 4.0, None, None)
    assert first["lint.errors"][:2] == (GateStatus.FAILED, 1.0)
    later = results(rules.Inputs(lint=[lint]), baseline={"lint.warnings": 3.0})
    assert later["lint.warnings"] == (GateStatus.FAILED, 4.0, 3.0, 1.0)
    fixed = results(rules.Inputs(lint=[lint]), baseline={"lint.warnings": 5.0})
    assert fixed["lint.warnings"] == (GateStatus.PASSED, 4.0, 5.0, -1.0)


def test_bundle_limits_are_strict() -> None:
    bundle = Bundle(total=5_000_000, largest=1_999_999, largest_file="a.js", gzip=10)
    got = results(rules.Inputs(bundle=[bundle]))
    assert got["bundle.total"][0] == GateStatus.FAILED
    assert got["bundle.largest"][0] == GateStatus.PASSED


def test_tests_and_times() -> None:
    suite = SuiteTotals(tests=3, failures=1, time=301.0)
    got = results(rules.Inputs(junit=[suite], build_time=12.0))
    assert got["tests.failures"][:2] == (GateStatus.FAILED, 1.0)
    assert got["tests.time"][:2] == (GateStatus.FAILED, 301.0)
    assert got["build.time"][:2] == (GateStatus.PASSED, 12.0)


def test_turned_off_and_changed_thresholds() -> None:
    gates = {
        "coverage": {"lines": 50, "branches": False},
        "bundle": {"total": "6MB"},
        "tests": {"time": "10m"},
        "lint": {"warnings": 2},
    }
    c = cfg(gates)
    assert "coverage.branches" not in c.thresholds
    assert c.thresholds["coverage.lines"] == 50.0
    assert c.thresholds["bundle.total"] == 6_000_000
    assert c.thresholds["tests.time"] == 600
    assert c.thresholds["lint.warnings"] == 2.0
    assert c.explicit == {
        "coverage.lines",
        "coverage.branches",
        "bundle.total",
        "tests.time",
        "lint.warnings",
    }


@pytest.mark.parametrize(
    ("value", "size"),
    [
        (1000, 1000.0),
        ("5MB", 5e6),
        ("500 kB", 5e5),
        ("1.5MiB", 1.5 * 1024**2),
        ("2GB", 2e9),
        ("5 parsecs", None),
        (-1, None),
        (True, None),
    ],
)
def test_parse_size(value: object, size: float | None) -> None:
    assert settings.parse_size(value) == size


@pytest.mark.parametrize(
    ("gates", "message"),
    [
        (
            {"coverage": {"lines": 120}},
            "/p/shipyard.toml: gates.coverage.lines: expected a percentage from 0 to 100, or "
            "false, got 120",
        ),
        (
            {"bundle": {"total": "big"}},
            '/p/shipyard.toml: gates.bundle.total: expected a size such as "5MB" or "500kB", or '
            "false, got 'big'",
        ),
        (
            {"tests": {"time": "soon"}},
            '/p/shipyard.toml: gates.tests.time: expected a duration such as "5m" or "90s", or '
            "false, got 'soon'",
        ),
        (
            {"typecheck": {"errors": "baseline"}},
            "/p/shipyard.toml: gates.typecheck.errors: expected a count (an integer >= 0), or "
            "false, got 'baseline'",
        ),
        (
            {"lint": {"warnings": -1}},
            "/p/shipyard.toml: gates.lint.warnings: expected a count (an integer >= 0) or "
            '"baseline", or false, got -1',
        ),
        ({"coverage": {"line": 80}}, "/p/shipyard.toml: gates.coverage.line: unknown key"),
        ({"security": {}}, "/p/shipyard.toml: gates.security: unknown key"),
        (
            {"stale-reports": "ignore"},
            '/p/shipyard.toml: gates.stale-reports: expected "warn" or "fail", got \'ignore\'',
        ),
        (
            {"warn-only": "yes"},
            "/p/shipyard.toml: gates.warn-only: expected true or false, got a string ('yes')",
        ),
    ],
)
def test_config_errors(gates: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        cfg(gates)
    assert info.value.message == message


def test_unknown_key_hint() -> None:
    with pytest.raises(ConfigError) as info:
        cfg({"coverage": {"line": 80}})
    assert info.value.hint == "did you mean 'lines'? (see docs/configuration.md)"


def test_passed() -> None:
    judged = rules.judge(cfg({}), {"lint.errors": (0.0, "")}, {})
    assert rules.passed(judged)
    judged = rules.judge(cfg({}), {"lint.errors": (2.0, "")}, {})
    assert not rules.passed(judged)
