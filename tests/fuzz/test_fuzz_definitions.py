"""Property-based fuzzing of pipeline definitions through the real CLI (issue 13).

Three generators: valid definitions (must exit 0 or 1), valid definitions with one known-bad
value (must exit 2 naming the file and `stages.NAME.KEY`), and byte-level mutations of a valid
file (any exit but 3, never a traceback, and an exit 2 names the file).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.contract import rejected, shipyard, toml_document

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,  # the same examples on every CI run: a failure is reproducible
)

NAMES = st.from_regex(r"[a-z][a-z0-9_.-]{0,15}", fullmatch=True)
COMMANDS = st.sampled_from(["true", "exit 0", "echo hi", ": nothing", "false"])
DURATIONS = st.one_of(
    st.integers(0, 3600), st.sampled_from(["90s", "3m", "1m30s", "1h", "250ms", "0.5s"])
)
GLOBS = st.sampled_from(["src/**", "*.py", "a/[bc].txt", "docs", "!dist/**", "**/*.toml"])
ENV_KEYS = st.from_regex(r"[A-Z_][A-Z0-9_]{0,10}", fullmatch=True)
TEXT = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20)


@st.composite
def stage(draw: st.DrawFn, earlier: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"run": draw(st.one_of(COMMANDS, st.lists(COMMANDS, min_size=1)))}
    optional: dict[str, st.SearchStrategy[Any]] = {
        "needs": st.lists(st.sampled_from(earlier), unique=True) if earlier else st.just([]),
        "env": st.dictionaries(ENV_KEYS, TEXT, max_size=3),
        "budget": DURATIONS,
        "timeout": st.integers(5, 3600),
        "critical": st.booleans(),
        "inputs": st.lists(GLOBS, max_size=3),
        "outputs": st.lists(st.sampled_from(["dist", "out.txt"]), max_size=2),
        "description": TEXT,
        "when": st.sampled_from(["push", ["push", "pr"], {"on": ["pr"]}]),
        "shard": st.integers(1, 256),
    }
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True, max_size=5)):
        out[key] = draw(optional[key])
    return out


@st.composite
def definition(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
    stages: dict[str, Any] = {}
    for i, name in enumerate(names):
        stages[name] = draw(stage(names[:i]))
    return {"stages": stages}


# A key of a stage and a value that is wrong for it (the campaign's findings and relatives).
BAD_VALUES: list[tuple[str, Any]] = [
    ("run", ""),
    ("run", "   "),
    ("run", ["true", ""]),
    ("run", 3),
    ("run", "echo \0"),
    ("run", []),
    ("needs", ["no-such-stage"]),
    ("needs", "x" * 300),
    ("env", {"A=B": "1"}),
    ("env", {"X": "a\0b"}),
    ("env", {"X": [1]}),
    ("env", {"1X": "a"}),
    ("env", 5),
    ("budget", float("inf")),
    ("budget", -1),
    ("budget", "3 minutes"),
    ("budget", "٣m"),
    ("timeout", float("nan")),
    ("timeout", 10**30),
    ("timeout", "99999999h"),
    ("critical", "yes"),
    ("shard", 0),
    ("shard", 2**63 - 1),
    ("shard", 1.5),
    ("cwd", "no/such/folder"),
    ("cwd", "a\0"),
    ("cwd", ""),
    ("inputs", ["src/[ab.txt"]),
    ("inputs", [""]),
    ("outputs", ["[z-a]"]),
    ("inputs", [1]),
    ("when", ["push", "nightly"]),
    ("when", {"changed": ["[oops"]}),
    ("matrix", {"python": []}),
    ("matrix", {"python": [float("inf")]}),
    ("matrix", {"a=b": ["1"]}),
    ("reports", {"nonsense": "x"}),
    ("reports", {"junit": 5}),
    ("runn", "true"),
]


@FUZZ
@given(definition())
def test_valid_definitions_plan_and_never_fail_as_input(doc: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "shipyard.toml").write_text(toml_document(doc))
        outcome = shipyard(project, "run", "--dry-run")
        assert outcome.code == 0, outcome.stderr
        for name in doc["stages"]:
            assert name in outcome.stdout


@FUZZ
@given(definition(), st.sampled_from(BAD_VALUES), st.data())
def test_one_bad_value_is_named_with_its_key_path(
    doc: dict[str, Any], bad: tuple[str, Any], data: st.DataObject
) -> None:
    key, value = bad
    name = data.draw(st.sampled_from(sorted(doc["stages"])))
    doc["stages"][name][key] = value
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "shipyard.toml").write_text(toml_document(doc))
        outcome = shipyard(project, "run", "--dry-run")
        rejected(outcome, project / "shipyard.toml", f"stages.{name}.{key}")


@FUZZ
@given(definition(), st.sampled_from(["gates", "scan", "bench", "release", "ci", "hooks"]))
def test_a_section_that_is_not_a_table(doc: dict[str, Any], section: str) -> None:
    doc[section] = 1
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "shipyard.toml").write_text(toml_document(doc))
        rejected(shipyard(project, "run", "--dry-run"), project / "shipyard.toml", section)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid definition's bytes with insertions, deletions and duplications."""
    data = bytearray(toml_document(draw(definition())).encode())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "truncate"]))
        if action == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=4),
                    st.sampled_from([b"\xff", b"\x00", b"[", b"{", b'"', b"=", b"\n[stages]\n"]),
                )
            )
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        elif action == "duplicate":
            data[at:at] = data[max(0, at - 20) : at]
        else:
            del data[at:]
    return bytes(data)


@settings(FUZZ, max_examples=60)
@given(mutated())
def test_mutated_bytes_never_crash(body: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "shipyard.toml").write_bytes(body)
        outcome = shipyard(project, "run", "--dry-run")
        if outcome.code == 2:
            assert str(project / "shipyard.toml") in outcome.stderr, outcome.stderr
