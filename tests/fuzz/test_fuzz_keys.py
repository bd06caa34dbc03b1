"""Per-key fuzzing of every section of the definition, derived from the readers (issue 13).

For each top-level section a command that reads it runs once on a valid sample while
`declared.watching()` records the keys its reader declares (tests/fuzz/declared.py). Then, for
every recorded key, hypothesis draws values of the wrong type, out of the declared range, or
hostile (NUL, 10,000 characters, format braces, huge numbers) and the real CLI runs on each:
a wrong value must exit 2 naming the file and the key path; a hostile one may pass or fail but
never crash (no traceback, no exit 3, no hang). A key a reader adds is fuzzed automatically.
One example covers every key of its section, so coverage does not depend on luck.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from shipyard import config
from tests.fuzz import declared
from tests.fuzz.contract import rejected, shipyard

STAGES: dict[str, Any] = {
    "lint": {"run": "true", "inputs": ["src/**"], "env": {"A": "1"}, "when": {"on": ["push"]}},
    "unit.fast": {
        "run": ["true", "exit 0"],
        "needs": ["lint"],
        "matrix": {"python": ["3.12"]},
        "reports": {"junit": "junit.xml"},
        "budget": "5m",
    },
}
ENV = {
    "SLACK_WEBHOOK": "http://127.0.0.1:9/slack",
    "DISCORD_WEBHOOK": "http://127.0.0.1:9/d",
    "GITHUB_TOKEN": "x",
    "SMTP_PASSWORD": "x",
}

# section -> (its valid sample, the command that reads it whole)
SAMPLES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "stages": (
        {"stages": STAGES, "mask": ["MY_VAR"], "store": {"log-cap-mb": 5}},
        ["run", "--dry-run"],
    ),
    "gates": (
        {
            "stages": {
                **STAGES,
                "check": {
                    "run": "true",
                    "reports": {"junit": "junit.xml", "coverage": "coverage.xml"},
                },
            },
            "gates": {
                "base": "main",
                "stale-reports": "warn",
                "coverage": {
                    "lines": 70,
                    "functions": False,
                    "branches": False,
                    "statements": False,
                    "changed-lines": False,
                },
                "tests": {"failures": 0, "time": "5m"},
                "build": {"time": False},
                "lint": {"errors": False, "warnings": False},
                "typecheck": {"errors": False},
                "format": {"files": False},
                "bundle": {"total": False, "largest": False, "gzip": False},
            },
        },
        ["gate", "--warn-only"],
    ),
    "bench": (
        {
            "stages": STAGES,
            "bench": {
                "base": "main",
                "warn": "20%",
                "fail": 0.5,
                "startup": {
                    "command": "true",
                    "runs": 2,
                    "warmup": 0,
                    "target": "1s",
                    "max-memory": "100MB",
                    "direction": "smaller",
                },
                "imported": {"results": "b.json", "format": "pytest-benchmark", "target": 1.0},
            },
        },
        ["bench", "history"],
    ),
    "release": (
        {
            "stages": STAGES,
            "release": {
                "tag-format": "v{version}",
                "publish": ["npm"],
                "version-files": ["VERSION"],
                "types": {"perf": "patch"},
                "sections": {"perf": "Performance"},
                "npm": {"registry": "http://127.0.0.1:9/"},
                "pypi": {"repository-url": "http://127.0.0.1:9/"},
                "github": {"release": False},
            },
            "workspace": {"packages": ["packages/*"], "tag-formats": {"a": "a-{version}"}},
        },
        ["version"],
    ),
    "scan": (
        {
            "stages": STAGES,
            "scan": {
                "secrets": {"exclude": ["vendor/**"], "max-file-size": 100000},
                "deps": {"max-age": "7d", "fail-on": "high", "ignore": ["GHSA-x"]},
                "code": {"fail-on": "high"},
                "licenses": {"allow": ["MIT"], "deny": ["GPL-3.0-only"]},
                "sbom": {"output": "sbom.json"},
            },
        },
        ["scan", "secrets"],
    ),
    "ci": (
        {
            "stages": STAGES,
            "ci": {
                "python": "3.12",
                "install": ["pip install -e ."],
                "secrets": ["MY_SECRET"],
                "workflows": {"test": ["lint", "unit.fast"]},
                "schedules": {"security": "0 4 * * 1"},
                "env-example": {"MY_SECRET": "x"},
                "dependabot": {
                    "labels": ["deps"],
                    "ignore": [{"dependency-name": "left-pad", "update-types": []}],
                },
            },
        },
        ["ci", "generate", "--check"],
    ),
    "monitor": (
        {
            "stages": STAGES,
            "monitor": {
                "repeat": "1h",
                "pipeline": {"window": 5, "branch": "main"},
                "registry": {"url": "http://127.0.0.1:9/"},
                "health": {"urls": ["http://127.0.0.1:9/health"]},
                "downloads": {"ecosystem": "pypi", "package": "x"},
                "issues": {"repo": "a/b"},
                "advisories": {"ref": "HEAD"},
            },
            "notify": {
                "email": {"host": "127.0.0.1", "to": ["a@b.c"], "from": "s@b.c", "port": 9},
                "slack": {"min-severity": "high"},
                "discord": {},
                "github": {"repo": "a/b"},
                "discussions": {"repo": "a/b"},
            },
        },
        ["monitor", "--only", "pipeline", "--notify"],
    ),
    "hooks": (
        {
            "stages": STAGES,
            "hooks": {
                "pre-commit": ["lint"],
                "pre-push": "lint",
                "commit-msg": [],
                "staged": {"*.py": "true"},
            },
        },
        ["hook", "install"],
    ),
    "metrics": (
        {"stages": STAGES, "metrics": {"success-rate": 90, "lead-time": "2d"}},
        ["metrics"],
    ),
}


# what a sample's project holds besides the definition
FILES = {
    "junit.xml": '<testsuite name="s" tests="1" failures="0"><testcase name="t" time="0.1"/>'
    "</testsuite>\n",
    "coverage.xml": '<coverage lines-valid="2" lines-covered="2"><packages><package><classes>'
    '<class filename="a.py"><lines><line number="1" hits="1"/><line number="2" hits="3"/>'
    "</lines></class></classes></package></packages></coverage>\n",
    "packages/a/package.json": '{"name": "a", "version": "1.0.0"}\n',
    "VERSION": "1.0.0\n",
}
# the tables each section's test fuzzes (the first part of a key path)
OWNS = {
    "stages": {"stages", "mask", "store"},
    "release": {"release", "workspace"},
    "monitor": {"monitor", "notify"},
}


def owned(section: str) -> set[str]:
    return OWNS.get(section, {section})


def make_project(root: Path) -> Path:
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@functools.cache
def reads_of(section: str) -> tuple[declared.Read, ...]:
    """The declared keys of the section at their places in its sample, after one run showing
    that the sample is valid input (exit 0 or 1)."""
    doc, argv = SAMPLES[section]
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp))
        declared.write(root, doc, pyproject=False)
        outcome = shipyard(root, *argv)
    assert outcome.code in (0, 1), (section, outcome.stderr)
    return tuple(declared.keys(doc, owned(section)))


# -- the values: wrong for the declared kind (must be exit 2 naming the key), or hostile -------

UNKNOWN = "zz-no-such-key"
NOT_A_TABLE: list[Any] = [5, 1.5, True, "x", [1], [{"a": 1}]]


def wrong(read: declared.Read) -> st.SearchStrategy[Any]:
    """Values the reader must refuse: another type, outside the declared range or choices,
    not finite."""
    bounds: list[Any] = []
    if read.choices:
        bounds.append(["not-a-choice"] if read.kind == "str_list" else "not-a-choice")
    if read.minimum is not None:
        bounds += [read.minimum - 1, -(2**63)] if read.kind == "int" else [read.minimum - 0.5]
    if read.maximum is not None:
        bounds += [read.maximum + 1, 2**63 - 1] if read.kind == "int" else [read.maximum + 0.5]
    by_kind: dict[str, list[Any]] = {
        "str": [5, -1.5, True, ["a"], {"a": "b"}],
        "bool": ["true", "yes", 0, 1, [], {"a": True}],
        "int": ["3", 1.5, True, [1], {"a": 1}, float("inf"), *bounds],
        "number": ["3", True, [1.0], {"a": 1}, float("inf"), float("-inf"), float("nan"), *bounds],
        "duration": [
            "3 minutes",
            "٣m",
            "1h1h",
            "",
            -1,
            float("inf"),
            float("nan"),
            1e300,
            "99999999h",
            True,
            ["5m"],
            {"m": 5},
        ],
        "str_list": [
            5,
            True,
            {"a": "b"},
            [1],
            [["a"]],
            ["a", 2],
            [{"a": "b"}],
        ],
        "str_map": [5, "x", ["a"], {"k": ["v"]}, {"k": {"x": "y"}}, {"k": True}],
        "table": [*NOT_A_TABLE, {UNKNOWN: {"deep": [1]}}],
        "tables": [5, "x", [1], ["x"], {UNKNOWN: 1}, [{UNKNOWN: 1}]],
        # readers with rules of their own: a nested table or a list of tables fits none of them
        "raw": [{UNKNOWN: {"deep": [1]}}, [{UNKNOWN: 1}]],
    }
    return st.sampled_from(by_kind[read.kind])


HOSTILE_TEXT = [
    "",
    " ",
    "\0",
    "a\0b",
    "x" * 10_000,
    "{",
    "}{0}{version}{",
    "${{ secrets.X }}",
    "../../../etc/passwd",
    "-rf",
    "é😀\u202e",
    "line\nbreak",
    "*[",
    "%s%n",
    "C:\\x",
]


def hostile(read: declared.Read) -> st.SearchStrategy[Any]:
    """Values of the right type at the edges: the reader may take or refuse them, never crash."""
    lo = read.minimum if read.minimum is not None else -(2**63)
    hi = read.maximum if read.maximum is not None else 2**63 - 1
    by_kind: dict[str, st.SearchStrategy[Any]] = {
        "str": st.sampled_from(HOSTILE_TEXT),
        "bool": st.booleans(),
        "int": st.one_of(st.sampled_from([lo, hi, 0]), st.integers(int(lo), int(hi))),
        "number": st.one_of(
            st.sampled_from([lo, hi, 0, -0.0, 5e-324]),
            st.floats(max(float(lo), -1e308), min(float(hi), 1e308)),
        ),
        "duration": st.sampled_from([0, "0s", "30d", 2_592_000, "1d1h", "250ms", "0.001ms"]),
        "str_list": st.one_of(
            st.lists(st.sampled_from(HOSTILE_TEXT), max_size=3),
            st.sampled_from(HOSTILE_TEXT),
        ),
        "str_map": st.dictionaries(
            st.sampled_from(["", "k", "x" * 300, "a.b", "A=B", "\0"]),
            st.one_of(st.sampled_from(HOSTILE_TEXT), st.sampled_from([-1, 1e308, 0])),
            max_size=2,
        ),
        "table": st.just({}),
        "tables": st.just([]),
        "raw": st.sampled_from(
            [*HOSTILE_TEXT[:8], 0, -1, 2**63 - 1, 1e308, float("nan"), True, False, [], ["x"], {}]
        ),
    }
    return by_kind[read.kind]


FUZZ = settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
    derandomize=True,  # the same examples on every CI run: a failure is reproducible
    # no shrinking: the assertion names the key and the value already, and shrinking a loop over
    # every key of a section reruns the CLI hundreds of times
    phases=(Phase.explicit, Phase.generate),
)


@pytest.fixture
def sample_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def _each_key(
    section: str, data: st.DataObject, values: Any, root: Path
) -> Iterator[tuple[declared.Read, Any, Path, str, Any]]:
    """For every key of the section: a value drawn for it, the definition written with it
    (shipyard.toml or pyproject.toml, drawn too), the file, the key path it must be named by,
    and the outcome of the section's command."""
    doc, argv = SAMPLES[section]
    for read in reads_of(section):
        value = data.draw(values(read), label=read.path)
        pyproject = data.draw(st.booleans(), label="pyproject")
        for name in ("shipyard.toml", "pyproject.toml"):
            (root / name).unlink(missing_ok=True)
        file = declared.write(root, declared.with_value(doc, read, value), pyproject)
        path = ("tool.shipyard." if pyproject else "") + read.path
        yield read, value, file, path, shipyard(root, *argv)


@pytest.mark.parametrize("section", sorted(SAMPLES))
@FUZZ
@given(data=st.data())
def test_every_key_refuses_a_wrong_value_by_its_path(
    section: str, data: st.DataObject, sample_env: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = make_project(tmp_path_factory.mktemp(section))
    for read, value, file, path, outcome in _each_key(section, data, wrong, root):
        assert outcome.code == 2, (read, value, outcome.code, outcome.stderr[-500:])
        rejected(outcome, file, path)


@pytest.mark.parametrize("section", sorted(SAMPLES))
@FUZZ
@given(data=st.data())
def test_every_key_survives_hostile_values(
    section: str, data: st.DataObject, sample_env: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = make_project(tmp_path_factory.mktemp(section))
    for read, _value, file, path, outcome in _each_key(section, data, hostile, root):
        if read.kind in ("table", "tables"):
            continue  # an empty table: `monitor --notify` with no channel is a usage error
        if outcome.code == 2 and outcome.stderr.startswith("error: cannot read "):
            continue  # a path the file system refuses (a rule file that is not there): named
        if outcome.code == 2:  # refused: then it names the key, or the sibling it conflicts with
            rejected(outcome, file, path.removesuffix("." + read.key) if read.table else path)


def test_every_section_has_a_sample_and_its_keys_are_found(sample_env: None) -> None:
    """A section added to the definition needs a sample here; a key its reader reads is then
    fuzzed without further edits (this is what keeps the fuzzing complete)."""
    covered = set().union(*(owned(s) for s in SAMPLES))
    assert covered >= config.SECTIONS, sorted(config.SECTIONS - covered)
    for section in SAMPLES:
        found = {r.path for r in reads_of(section)}
        doc, _ = SAMPLES[section]
        for top in owned(section) & set(doc):
            assert any(p.split(".")[0] == top for p in found), (section, top)
    assert "stages.unit.fast.budget" in {r.path for r in reads_of("stages")}
    assert {"bench.startup.runs", "ci.dependabot.ignore[0].ecosystem"} <= {
        r.path for s in ("bench", "ci") for r in reads_of(s)
    }


@pytest.mark.usefixtures("sample_env")  # reads_of() may run here first: it needs the secrets set
def test_the_console_script_keeps_the_contract(tmp_path: Path) -> None:
    """The in-process runs above stand for the real program: a few of the same inputs through
    `python -m shipyard` in a subprocess give the same exit code and message, no traceback."""
    root = make_project(tmp_path)
    for section, key, value in [
        ("stages", "stages.lint.shard", 0),
        ("ci", "ci.retention-days", "7"),
        ("monitor", "notify.email.port", [25]),
    ]:
        doc, argv = SAMPLES[section]
        read = next(r for r in reads_of(section) if r.path == key)
        for pyproject in (False, True):
            for name in ("shipyard.toml", "pyproject.toml"):
                (root / name).unlink(missing_ok=True)
            file = declared.write(root, declared.with_value(doc, read, value), pyproject)
            done = subprocess.run(
                [sys.executable, "-m", "shipyard", "-C", str(root), *argv],
                capture_output=True,
                text=True,
                timeout=120,
                env={**os.environ, **ENV},
            )
            where = ("tool.shipyard." if pyproject else "") + key
            assert done.returncode == 2, (key, done.stderr)
            assert "Traceback" not in done.stderr
            assert done.stderr.startswith(f"error: {file}: {where}: "), done.stderr
