"""One test per root cause the malformed-definition campaign found (issue 13).

Each bad definition exits 2 with a message naming the file and the key path (or byte offset),
with no traceback; the valid look-alikes (a 3,000-stage chain) still run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard import config
from tests.conftest import run_cli
from tests.fuzz.contract import rejected, shipyard

STAGE = b'[stages.a]\nrun = "true"\n'

# (case, bytes of shipyard.toml, what the message must name besides the file)
CASES = [
    ("non-utf8", b'[stages.a]\nrun = "echo \xff"\n', ["byte offset 23", "line 2"]),
    ("nul-byte-raw", b'[stages.a]\nrun = "echo \x00"\n', ["invalid TOML"]),
    ("empty-file", b"", ["the definition is empty"]),
    ("only-comments", b"# nothing yet\n", ["the definition is empty"]),
    ("nul-in-run", b'[stages.a]\nrun = "echo \\u0000"\n', ["stages.a.run", "NUL"]),
    ("nul-in-env", STAGE + b'env = {X = "a\\u0000"}\n', ["stages.a.env.X", "NUL"]),
    ("env-key-with-equals", STAGE + b'env = {"A=B" = "1"}\n', ["stages.a.env.'A=B'"]),
    ("env-key-empty", STAGE + b'env = {"" = "1"}\n', ["stages.a.env.''"]),
    ("nul-in-cwd", STAGE + b'cwd = "a\\u0000"\n', ["stages.a.cwd", "NUL"]),
    ("cwd-missing", STAGE + b'cwd = "nope"\n', ["stages.a.cwd", "no such folder: 'nope'"]),
    ("budget-inf", STAGE + b"budget = inf\n", ["stages.a.budget", "got inf"]),
    ("timeout-inf", STAGE + b"timeout = inf\n", ["stages.a.timeout", "got inf"]),
    ("timeout-nan", STAGE + b"timeout = nan\n", ["stages.a.timeout", "got nan"]),
    ("timeout-huge", STAGE + b"timeout = 1e300\n", ["stages.a.timeout", "30 days"]),
    ("timeout-arabic-digits", STAGE + 'timeout = "٣m"\n'.encode(), ["stages.a.timeout"]),
    ("shard-huge", STAGE + b"shard = 9223372036854775807\n", ["stages.a.shard", "<= 256"]),
    ("name-10000-chars", b"[stages." + b"a" * 10_000 + b']\nrun = "true"\n', ["at most 100"]),
    ("run-empty", b'[stages.a]\nrun = ""\n', ["stages.a.run", "command 1 is empty"]),
    ("run-blank", b'[stages.a]\nrun = "  "\n', ["stages.a.run", "command 1 is empty"]),
    ("run-list-blank", b'[stages.a]\nrun = ["true", ""]\n', ["stages.a.run", "command 2"]),
    ("glob-unclosed", STAGE + b'inputs = ["src/[ab.txt"]\n', ["stages.a.inputs", "never closed"]),
    ("glob-empty", STAGE + b'outputs = [""]\n', ["stages.a.outputs", "empty pattern"]),
    ("glob-range", STAGE + b'when = {changed = ["[z-a]"]}\n', ["stages.a.when.changed"]),
    ("matrix-nul", STAGE + b'matrix = {python = ["3.\\u0000"]}\n', ["stages.a.matrix.python"]),
    ("matrix-inf", STAGE + b"matrix = {python = [inf]}\n", ["stages.a.matrix.python"]),
    ("stages-scalar", b"stages = 1\n", ["stages: expected a table"]),
    ("stage-scalar", b"[stages]\na = 1\n", ["stages.a: expected a table"]),
    ("nested-500-deep", STAGE + b"env = " + b"{a=" * 500 + b"1" + b"}" * 500 + b"\n", ["nested"]),
    ("arrays-500-deep", STAGE + b"x = " + b"[" * 500 + b"]" * 500 + b"\n", ["nested"]),
]
SECTIONS = ["gates", "scan", "bench", "release", "ci", "monitor", "notify", "hooks", "metrics"]


@pytest.mark.parametrize(("case", "body", "where"), CASES, ids=[c[0] for c in CASES])
def test_bad_definition_names_file_and_place(
    tmp_path: Path, case: str, body: bytes, where: list[str]
) -> None:
    (tmp_path / "shipyard.toml").write_bytes(body)
    rejected(shipyard(tmp_path, "run", "--dry-run"), tmp_path / "shipyard.toml", *where)


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("value", ["1", '"x"', "[1]", "true"])
def test_section_given_as_a_scalar(tmp_path: Path, section: str, value: str) -> None:
    (tmp_path / "shipyard.toml").write_text(f'{section} = {value}\n[stages.a]\nrun = "true"\n')
    rejected(shipyard(tmp_path, "run", "--dry-run"), tmp_path / "shipyard.toml", section)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (b"tool = 1\n[tool2]\n", None),
        (b"[tool]\nshipyard = 1\n", "tool.shipyard: expected a table"),
        (b'[project]\nname = "\xfe"\n[tool.shipyard.stages.a]\nrun = "true"\n', "byte offset"),
    ],
)
def test_bad_pyproject(tmp_path: Path, body: bytes, where: str | None) -> None:
    (tmp_path / "pyproject.toml").write_bytes(body)
    outcome = shipyard(tmp_path, "run", "--dry-run")
    if where is None:  # `tool = 1` is not ours to judge: there is simply no definition
        assert outcome.code == 2 and "no pipeline definition" in outcome.stderr
    else:
        rejected(outcome, tmp_path / "pyproject.toml", where)


def test_long_needs_cycle_is_reported_not_recursed(tmp_path: Path) -> None:
    n = 1000
    text = "".join(f'[stages.s{i}]\nrun = "true"\nneeds = ["s{(i + 1) % n}"]\n' for i in range(n))
    (tmp_path / "shipyard.toml").write_text(text)
    outcome = shipyard(tmp_path, "run", "--dry-run")
    rejected(outcome, tmp_path / "shipyard.toml", "the needs form a cycle: s0 -> s1", "more)")
    assert len(outcome.stderr) < 500


def test_long_needs_chain_is_valid(tmp_path: Path) -> None:
    n = 3000  # each stage needs the next one: a depth-first sort 3,000 deep
    text = "".join(
        f'[stages.s{i}]\nrun = "true"\n' + (f'needs = ["s{i + 1}"]\n' if i < n - 1 else "")
        for i in range(n)
    )
    (tmp_path / "shipyard.toml").write_text(text)
    definition = config.load(tmp_path)
    from shipyard.pipeline.graph import topo_order

    order = topo_order({s.name: s.needs for s in definition.stages.values()})
    assert order[0] == f"s{n - 1}" and order[-1] == "s0"


def test_cwd_that_exists_still_runs(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "shipyard.toml").write_text('[stages.a]\nrun = "test -d ../pkg"\ncwd = "pkg"\n')
    assert shipyard(tmp_path, "run").code == 0


def test_non_utf8_definition_in_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "shipyard.toml").write_bytes(b'[stages.a]\nrun = "true"\n# caf\xe9\n')
    r = run_cli("run", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stderr == (
        f"error: {tmp_path / 'shipyard.toml'}: not UTF-8 text: byte 0xe9 at byte offset 29 "
        "(line 3)\n  hint: save the file as UTF-8\n"
    )


def test_run_with_no_stages_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "shipyard.toml").write_text("[gates]\n")
    rejected(shipyard(tmp_path, "run"), tmp_path / "shipyard.toml", "stages: no stages to run")
