"""The performance workflow, run by act: `shipyard bench run` on a push to main keeps its
results in the cache keyed by branch; a pull request that makes the code 60 % slower restores
main's results, fails the benchmark job, and a separate job posts the comparison to a local
stand-in of GitHub's API (tests/ci/github_comments.py).

The benchmark reports a figure the sample's code computes (github-action-benchmark's
customSmallerIsBetter format) rather than a timing: the machine the tests share is too loaded
for a timing to be a deterministic test of the workflow (bench's own tests measure real time).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.ci.act import Runner
from tests.ci.act_samples import commit_all, python_sample
from tests.ci.github_comments import REPOSITORY, TOKEN, github_comments
from tests.ci.test_act_stages import generate
from tests.conftest import GitRepo, git

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

BENCH = """
[tool.shipyard.bench]
calibrate = false

[tool.shipyard.bench.api]
command = "python bench.py"
results = "values.json"
format = "customSmallerIsBetter"
"""
BENCH_PY = """\
import json

from actpy.cost import cost

values = [{"name": "request", "unit": "ms", "value": cost() * (1 + k / 1000)} for k in (-1, 0, 1)]
with open("values.json", "w") as out:
    json.dump(values, out)
"""


def _cost(repo: GitRepo, value: int) -> None:
    repo.write("src/actpy/cost.py", f"def cost() -> int:\n    return {value}\n")


def _bench_entries(runner: Runner) -> list[str]:
    names = [unquote(p.name) for p in runner.cache.iterdir()]
    return sorted(n for n in names if n.startswith("shipyard-bench-"))


def test_performance_workflow_keeps_the_baseline_and_comments_a_regression(
    repo: GitRepo, runner: Runner, tmp_path: Path
) -> None:
    python_sample(repo)
    (repo.path / "pyproject.toml").write_text((repo.path / "pyproject.toml").read_text() + BENCH)
    repo.write("bench.py", BENCH_PY)
    _cost(repo, 100)
    with (repo.path / ".gitignore").open("a") as ignore:
        ignore.write("values.json\nbench-comparison.md\n.bench/\n")
    git(repo.path, "remote", "add", "origin", f"https://github.com/{REPOSITORY}.git")
    generate(repo)
    before = _bench_entries(runner)

    main = runner.run(repo.path, "performance", artifacts=tmp_path / "main")
    assert main.jobs == {"benchmark": "succeeded"}, main  # no comment job on a push
    assert "new; not in the baseline" in main.log
    saved = [n for n in _bench_entries(runner) if n not in before]
    assert len(saved) == 1 and saved[0].startswith("shipyard-bench-main-"), main
    assert not (repo.path / ".bench").exists()  # the job ran in a copy: only the cache kept it

    git(repo.path, "checkout", "-q", "-b", "slower")
    _cost(repo, 160)  # the seeded +60 % regression
    commit_all(repo, "perf: a slower request")
    git(repo.path, "update-ref", "refs/remotes/origin/main", "main")  # what checkout fetches
    event = {
        "pull_request": {
            "number": 7,
            "head": {"ref": "slower", "repo": {"full_name": REPOSITORY}},
            "base": {"ref": "main", "repo": {"full_name": REPOSITORY}},
        },
        "repository": {"full_name": REPOSITORY},
    }
    with github_comments() as gh:
        pr = runner.run(
            repo.path,
            "performance",
            "pull_request",
            payload=event,
            secrets={"GITHUB_TOKEN": TOKEN},
            github={"GITHUB_API_URL": gh.url},
            artifacts=tmp_path / "pr",
        )
    assert pr.jobs == {"benchmark": "failed", "comment": "succeeded"}, pr
    assert "compared with the base branch origin/main" in pr.log
    assert gh.violations == []
    [comment] = gh.comments[7]
    body = comment["body"]
    assert body.startswith("<!-- shipyard:bench -->\n### ❌ Benchmarks regressed"), body
    assert "| `api/request` | 100 ms | 160 ms | ×1.600" in body and "fail" in body
    assert _bench_entries(runner) == sorted([*before, *saved])  # a pull request saves nothing
