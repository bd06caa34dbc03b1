"""Imported results from the real tools: pytest-benchmark and vitest bench."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.conftest import GitRepo, run_cli

NODE_BIN = Path(__file__).resolve().parents[1] / "node" / "node_modules" / ".bin"


@pytest.mark.slow
def test_pytest_benchmark_results(repo: GitRepo) -> None:
    import pytest_benchmark  # noqa: F401 - a test extra: missing means a broken install

    repo.write("test_speed.py", "def test_sum(benchmark):\n    benchmark(sum, range(1000))\n")
    command = (
        f"{sys.executable} -m pytest -q -p no:cacheprovider test_speed.py "
        "--benchmark-json=out.json --benchmark-save-data --benchmark-max-time=0.05"
    )
    repo.write(
        "shipyard.toml",
        f"""
[bench.unit]
command = "{command}"
results = "out.json"
format = "pytest-benchmark"
""",
    )
    repo.commit("init")
    result = run_cli("bench", "run", "--json", cwd=repo.path, env={"SHIPYARD_BENCH_MACHINE": "t"})
    assert result.returncode == 0, result.stderr
    (bench,) = json.loads(result.stdout)["benchmarks"]
    assert bench["key"] == "unit/test_speed.py::test_sum" and bench["unit"] == "s"
    assert bench["samples"] > 5 and bench["status"] == "new"


@pytest.mark.node
@pytest.mark.slow
def test_vitest_bench_results(repo: GitRepo) -> None:
    if not (NODE_BIN / "vitest").exists():
        pytest.fail("vitest is missing: run `npm ci --prefix tests/node` (.ci/run does)")
    os.symlink(NODE_BIN.parent, repo.path / "node_modules")
    repo.write("package.json", '{"type": "module"}\n')
    repo.write(
        "sum.bench.js",
        "import { bench } from 'vitest'\n"
        "bench('sum', () => { let s = 0; for (let i = 0; i < 1000; i++) s += i })\n",
    )
    repo.write(
        "shipyard.toml",
        """
[bench.js]
command = "node_modules/.bin/vitest bench --run --outputJson out.json"
results = "out.json"
format = "vitest"
""",
    )
    repo.commit("init")
    result = run_cli("bench", "run", "--json", cwd=repo.path, env={"SHIPYARD_BENCH_MACHINE": "t"})
    assert result.returncode == 0, result.stderr
    (bench,) = json.loads(result.stdout)["benchmarks"]
    assert bench["key"] == "js/sum.bench.js > sum" and bench["unit"] == "ms"
    assert bench["after"] > 0
