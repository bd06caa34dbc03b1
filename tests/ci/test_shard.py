"""Sharding: every test file in exactly one part, parts balanced on recorded durations, and
`shipyard run STAGE --shard K/N` running runner K's part for real."""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from shipyard.config import Stage
from shipyard.errors import InputError
from shipyard.pipeline import shard
from shipyard.store import Store
from tests.conftest import GitRepo, run_cli


def _files(count: int) -> list[str]:
    return [f"tests/test_{i:03d}.py" for i in range(count)]


@pytest.mark.parametrize("seed", range(20))
def test_split_puts_every_file_in_exactly_one_part(seed: int) -> None:
    rng = random.Random(seed)
    files = _files(rng.randint(0, 60))
    durations = {f: rng.uniform(0.01, 30) for f in files if rng.random() < 0.7}
    n = rng.randint(1, 8)
    parts = shard.split(files, durations, n)
    assert len(parts) == n
    flat = [f for part in parts for f in part]
    assert sorted(flat) == sorted(files)


def test_split_without_history_balances_counts() -> None:
    parts = shard.split(_files(11), {}, 4)
    assert sorted(len(p) for p in parts) == [2, 3, 3, 3]


@pytest.mark.parametrize("seed", range(10))
def test_split_with_history_balances_durations_within_25_percent(seed: int) -> None:
    rng = random.Random(seed)
    files = _files(80)
    durations = {f: rng.lognormvariate(0, 1) for f in files}  # a few slow files, many fast
    for n in (2, 3, 4, 6, 8):
        parts = shard.split(files, durations, n)
        loads = [sum(durations[f] for f in part) for part in parts]
        slowest = max(durations.values())
        if slowest > sum(loads) / n:  # one file alone outweighs a fair share: it runs alone
            assert [f for p in parts for f in p if len(p) == 1 and durations[f] == slowest]
            continue
        assert (max(loads) - min(loads)) / max(loads) < 0.25, (n, loads)


def test_split_is_the_same_whatever_the_input_order() -> None:
    files = _files(30)
    durations = {f: float(i % 7) for i, f in enumerate(files)}
    assert shard.split(files, durations, 3) == shard.split(files[::-1], durations, 3)


def test_split_rejects_zero_parts() -> None:
    with pytest.raises(ValueError, match="cannot split into 0 parts"):
        shard.split(["a"], {}, 0)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("pytest", "pytest tests/test_a.py tests/test_b.py"),
        (
            "python -m pytest tests -q --junitxml=j.xml",
            "python -m pytest -q --junitxml=j.xml tests/test_a.py tests/test_b.py",
        ),
        (
            "pytest -k 'not slow' tests && echo done",
            "pytest -k 'not slow' tests/test_a.py tests/test_b.py && echo done",
        ),
        (
            "cd api && pytest -m unit tests/",
            "cd api && pytest -m unit tests/test_a.py tests/test_b.py",
        ),
        ("npx vitest run", "npx vitest run --shard=2/3"),
        ("npx jest --ci && echo ok", "npx jest --ci --shard=2/3 && echo ok"),
        ("npm test", "npm test -- --shard=2/3"),
        ("cd web && npm run test:unit", "cd web && npm run test:unit -- --shard=2/3"),
        ("ruff check .", "ruff check ."),
        (
            "pip install pytest && pytest tests",
            "pip install pytest && pytest tests/test_a.py tests/test_b.py",
        ),
        ("coverage run -m pytest", "coverage run -m pytest tests/test_a.py tests/test_b.py"),
        ("PYTHONPATH=src pytest -x", "PYTHONPATH=src pytest -x tests/test_a.py tests/test_b.py"),
        ("npm install jest && npx jest", "npm install jest && npx jest --shard=2/3"),
    ],
)
def test_shard_command(command: str, expected: str) -> None:
    assert shard.shard_command(command, 2, 3, ["tests/test_a.py", "tests/test_b.py"]) == expected


def test_an_empty_pytest_part_runs_nothing() -> None:
    # without files pytest would collect the whole suite on this runner
    assert shard.shard_command("pytest tests", 3, 3, []) == "echo 'shard 3/3: no test files to run'"


def test_shard_command_rejects_k_outside_1_to_n() -> None:
    with pytest.raises(ValueError, match="shard 4/3: K must be between 1 and N"):
        shard.shard_command("pytest", 4, 3, [])


def test_pytest_paths_skip_option_values() -> None:
    assert shard.pytest_paths("pytest -k smoke -p no:cacheprovider tests/a tests/b::t -x") == [
        "tests/a"
    ]


def test_discover_finds_pytest_files_under_the_named_paths(tmp_path: Path) -> None:
    for rel in (
        "tests/test_a.py",
        "tests/sub/b_test.py",
        "tests/helpers.py",
        "other/test_c.py",
        "tests/.venv/test_no.py",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    assert shard.discover(tmp_path) == ["tests/sub/b_test.py", "tests/test_a.py"]
    assert shard.discover(tmp_path, ["other"]) == ["other/test_c.py"]


def _record(store: Store, run_id: int, stage: str, cases: dict[str, float]) -> None:
    with store.transaction() as tx:
        tx.execute("INSERT INTO runs (id, trigger, started) VALUES (?, 'local', 0)", (run_id,))
        tx.executemany(
            "INSERT INTO test_cases VALUES (?, ?, 's', 'c', 'n', ?, ?, 'passed')",
            [(run_id, stage, f, d) for f, d in cases.items()],
        )


def test_durations_from_store_average_complete_runs_only(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _record(store, 1, "unit", {"tests/test_a.py": 2.0, "tests/test_b.py": 4.0})
    _record(store, 2, "unit", {"tests/test_a.py": 4.0, "tests/test_b.py": 6.0})
    _record(store, 3, "unit", {"tests/test_a.py": 100.0})  # one shard's part only
    _record(store, 4, "lint", {"tests/test_a.py": 50.0})
    files = ["tests/test_a.py", "tests/test_b.py"]
    assert shard.durations_from_store(store, "unit", files) == {
        "tests/test_a.py": 3.0,
        "tests/test_b.py": 5.0,
    }
    assert shard.durations_from_store(store, "unit")["tests/test_a.py"] == pytest.approx(106 / 3)
    assert shard.durations_from_store(store, "unit", [*files, "tests/test_new.py"]) == {}


def test_durations_paths_are_made_relative_to_the_stage_folder(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _record(store, 1, "unit", {"api/tests/test_a.py": 2.0})
    assert shard.durations_from_store(store, "unit", cwd="api") == {"tests/test_a.py": 2.0}


def test_apply_uses_the_committed_durations_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / "tests").mkdir(exist_ok=True)
        (tmp_path / f"tests/test_{name}.py").write_text("")
    (tmp_path / "durations.json").write_text(
        json.dumps({"tests/test_a.py": 10, "tests/test_b.py": 1, "tests/test_c.py": 1})
    )
    monkeypatch.setenv(shard.DURATIONS_ENV, "durations.json")
    stage = Stage(name="unit", run=("pytest tests",), shard=2)
    store = Store(tmp_path)
    assert shard.apply(stage, "pytest tests", 1, 2, tmp_path, store) == "pytest tests/test_a.py"
    assert (
        shard.apply(stage, "pytest tests", 2, 2, tmp_path, store)
        == "pytest tests/test_b.py tests/test_c.py"
    )


def test_a_broken_durations_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "d.json"
    bad.write_text("[1, 2]")
    with pytest.raises(InputError) as info:
        shard.durations_from_file(bad)
    assert info.value.message == f"{bad}: expected a JSON object of test file -> seconds"
    assert info.value.hint == "regenerate it with `shipyard ci durations STAGE`"
    bad.write_text("{not json")
    with pytest.raises(InputError) as info:
        shard.durations_from_file(bad)
    assert info.value.message == (
        f"{bad}: not a JSON durations file (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1))"
    )
    assert shard.durations_from_file(tmp_path / "missing.json") == {}


UNIT = """\
[stages.unit]
run = "python -m pytest tests -q -p no:cacheprovider --junitxml=junit.xml"
reports = { junit = "junit.xml" }
shard = 3
"""


def _ran(root: Path) -> set[str]:
    tree = ET.parse(root / "junit.xml")
    return {tc.get("classname", "") for tc in tree.iter("testcase")}


@pytest.mark.slow
def test_shipyard_run_shard_runs_each_file_once_across_runners(repo: GitRepo) -> None:
    repo.write("shipyard.toml", UNIT)
    for i in range(7):
        cases = "".join(f"def test_{j}():\n    pass\n\n" for j in range(i + 1))
        repo.write(f"tests/test_m{i}.py", cases)
    repo.write("tests/sub/deep_test.py", "def test_deep():\n    pass\n")
    everything = {f"tests.test_m{i}" for i in range(7)} | {"tests.sub.deep_test"}
    seen: list[str] = []
    for k in (1, 2, 3):  # each run records its part: that must not move the later parts
        result = run_cli("run", "unit", "--shard", f"{k}/3", cwd=repo.path)
        assert result.returncode == 0, result.stdout + result.stderr
        part = _ran(repo.path)
        assert 2 <= len(part) <= 3
        seen += sorted(part)
    assert sorted(seen) == sorted(everything)
    # a full run records every file: its durations can be committed for the CI runners
    assert run_cli("run", "unit", cwd=repo.path).returncode == 0
    result = run_cli("ci", "durations", "unit", cwd=repo.path)
    assert result.returncode == 0, result.stderr
    recorded = json.loads((repo.path / ".github/shard-durations/unit.json").read_text())
    assert sorted(recorded) == sorted(c.replace(".", "/") + ".py" for c in everything)


VITEST = """\
[stages.unit]
run = "node_modules/.bin/vitest run --reporter=junit --outputFile=junit.xml"
reports = { junit = "junit.xml" }
shard = 2
"""


@pytest.mark.node
@pytest.mark.slow
def test_vitest_splits_itself_under_shipyard_run_shard(repo: GitRepo) -> None:
    (repo.path / "node_modules").symlink_to(Path(__file__).parent.parent / "node/node_modules")
    repo.write("package.json", '{"name": "vt", "type": "module"}\n')
    repo.write("shipyard.toml", VITEST)
    for i in range(4):
        repo.write(
            f"test/m{i}.test.js",
            "import { test, expect } from 'vitest';\n"
            f"test('t{i}', () => {{ expect({i}).toBe({i}); }});\n",
        )
    seen: list[str] = []
    for k in (1, 2):
        result = run_cli("run", "unit", "--shard", f"{k}/2", cwd=repo.path)
        assert result.returncode == 0, result.stdout + result.stderr
        part = _ran(repo.path)
        assert len(part) == 2
        seen += part
    assert sorted(seen) == [f"test/m{i}.test.js" for i in range(4)]
