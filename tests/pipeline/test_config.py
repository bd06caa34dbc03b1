"""Each bad definition exits 2 with one message naming the file, the key path and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard.config import parse_duration
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("90s", 90),
        ("3m", 180),
        ("1m30s", 90),
        ("1h", 3600),
        ("250ms", 0.25),
        (5, 5.0),
        ("1d", 86400),
        ("2d3h", 183600),
    ],
)
def test_durations(text: object, value: float) -> None:
    assert parse_duration(text) == value


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.25, "250ms"),
        (90, "1m30s"),
        (3599.4, "59m59s"),
        (3600, "1h"),
        (5400, "1h30m"),
        (86400, "1d"),  # the plan's lead-time target: "< 1d", not "< 1440m00s"
        (304946 * 60 + 22, "211d18h"),  # a lead time seen on a real repository
    ],
)
def test_durations_print_as_people_read_them(seconds: float, text: str) -> None:
    from shipyard.config import format_duration

    assert format_duration(seconds) == text
    if seconds <= 30 * 86400:
        assert parse_duration(text) == pytest.approx(round(seconds), abs=1)


@pytest.mark.parametrize("bad", ["", "3 minutes", "m", "-1", True, -3, "1.5.2s"])
def test_malformed_durations(bad: object) -> None:
    assert parse_duration(bad) is None


CASES = [
    (
        '[stages.lint]\nrun = "ruff check ."\nrunn = "x"\n',
        "error: shipyard.toml: stages.lint.runn: unknown key\n"
        "  hint: did you mean 'run'? (see docs/configuration.md)\n",
    ),
    (
        "[stages.lint]\nrun = 3\n",
        "error: shipyard.toml: stages.lint.run: expected a string or a list of strings, "
        "got a number (3)\n",
    ),
    (
        '[stages.a]\nrun = "true"\nneeds = ["b"]\n[stages.b]\nrun = "true"\nneeds = ["a"]\n',
        "error: shipyard.toml: stages: the needs form a cycle: a -> b -> a\n"
        "  hint: remove one of these `needs` entries\n",
    ),
    (
        '[stages.a]\nrun = "true"\nneeds = ["biuld"]\n',
        "error: shipyard.toml: stages.a.needs: names no stage: 'biuld' (stages: a)\n",
    ),
    (
        '[stages.a]\nrun = "true"\nbudget = "3 minutes"\n',
        'error: shipyard.toml: stages.a.budget: expected a duration such as "90s", "3m" or '
        "\"1m30s\" (at most 30 days), got '3 minutes'\n",
    ),
    (
        '[stages.a]\nrun = "true"\ncritical = "yes"\n',
        "error: shipyard.toml: stages.a.critical: expected true or false, got a string ('yes')\n",
    ),
    (
        '[stages.a]\nrun = "true"\nwhen = ["push", "nightly"]\n',
        "error: shipyard.toml: stages.a.when: unknown trigger 'nightly': expected one of "
        "push, pr, tag, schedule\n",
    ),
    (
        '[stages.a]\nrun = "true"\nreports = { coverge = "c.xml" }\n',
        "error: shipyard.toml: stages.a.reports.coverge: unknown report kind: expected one of "
        "benchmark, bundle, coverage, format, junit, lint, sarif, typecheck\n",
    ),
    (
        '[stages.a]\nrun = "true"\nmatrix = { python = "3.12" }\n',
        "error: shipyard.toml: stages.a.matrix.python: expected a non-empty list of versions, "
        'such as ["3.11", "3.12"]\n',
    ),
    (
        "[stages.a]\ndescription = 'no run'\n",
        "error: shipyard.toml: stages.a.run: missing: a command or a list of commands to run\n",
    ),
    (
        '[stagez.a]\nrun = "true"\n',
        "error: shipyard.toml: stagez: unknown key\n"
        "  hint: did you mean 'stages'? (see docs/configuration.md)\n",
    ),
    (
        "[stages.a\nrun = 1\n",
        "error: shipyard.toml: invalid TOML: Expected ']' at the end of a table declaration "
        "(at line 1, column 10)\n",
    ),
]


@pytest.mark.parametrize(("text", "message"), CASES)
def test_bad_definition(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "shipyard.toml").write_text(text)
    r = run_cli("run", "--dry-run", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (
        2,
        message.replace("shipyard.toml", str(tmp_path / "shipyard.toml")),
    )
    assert "Traceback" not in r.stderr


def test_pyproject_errors_name_the_tool_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.shipyard.stages.lint]\nrun = "ruff"\ntimeout = "soon"\n'
    )
    r = run_cli("run", "--dry-run", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith(
        f"error: {tmp_path / 'pyproject.toml'}: tool.shipyard.stages.lint.timeout: "
        "expected a duration"
    )


def test_missing_definition_says_what_to_do(tmp_path: Path) -> None:
    r = run_cli("run", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == (
        f"error: no pipeline definition in {tmp_path} (shipyard.toml, or [tool.shipyard] in "
        "pyproject.toml)\n  hint: run `shipyard init` to write one for this project\n"
    )


def test_unknown_stage_on_command_line(tmp_path: Path) -> None:
    (tmp_path / "shipyard.toml").write_text('[stages.lint]\nrun = "true"\n')
    r = run_cli("run", "lnt", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, "error: no stage named 'lnt' (stages: lint)\n")
