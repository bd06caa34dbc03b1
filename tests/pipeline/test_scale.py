"""The scheduler on a long chain: counters, not rescans, and no recursion when all is blocked."""

from __future__ import annotations

import json

from tests.conftest import GitRepo, run_cli


def test_a_failure_at_the_head_of_a_3000_stage_chain_blocks_the_rest(repo: GitRepo) -> None:
    n = 3000
    stages = "".join(
        f'[stages.s{i}]\nrun = "{"exit 3" if i == 0 else "true"}"\n'
        + (f'needs = ["s{i - 1}"]\n' if i else "")
        for i in range(n)
    )
    repo.write("shipyard.toml", stages)
    repo.commit("init")
    r = run_cli("run", "--json", "--no-cache", cwd=repo.path)
    assert r.returncode == 1, r.stderr
    results = json.loads(r.stdout)["stages"]
    assert [s["name"] for s in results] == [f"s{i}" for i in range(n)]  # plan order kept
    assert results[0]["status"] == "failed"
    assert {s["status"] for s in results[1:]} == {"blocked"}
    assert results[-1]["reason"] == f"needs s{n - 2}, which did not pass"
