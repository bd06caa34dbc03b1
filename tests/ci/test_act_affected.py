"""The packages workflow (ci/affected.py), run by act on a real npm workspace: a push that
touches one package runs that package's job only; a push that touches no package skips the
matrix job cleanly. The generated files also pass actionlint and zizmor."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.ci.act import Runner
from tests.ci.test_validators import actionlint, zizmor
from tests.conftest import GitRepo, run_cli
from tests.monorepo import shapes

pytestmark = [pytest.mark.slow, pytest.mark.node, pytest.mark.timeout(900)]

DEFINITION = shapes.PER_PACKAGE


def test_a_push_runs_only_the_affected_packages_jobs(repo: GitRepo, runner: Runner) -> None:
    shapes.npm_built(repo, DEFINITION)
    r = run_cli("ci", "generate", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    flows = repo.path / ".github/workflows"
    assert not (flows / "test.yml").exists()  # the per-package stages left the test workflow
    lint = actionlint(sorted(flows.glob("*.yml")))
    assert lint.returncode == 0, lint.stdout + lint.stderr
    audit = zizmor(repo.path)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    base = repo.commit("ci: generated workflows")

    repo.write(
        "packages/core/src/index.js", "module.exports = 'core v2+' + require('@acme/utils');\n"
    )
    head = repo.commit("feat(core): v2")
    run = runner.run(repo.path, "packages", payload={"before": base, "after": head})
    assert run.ok("affected"), run
    # core and cli (which depends on it) get a job each; utils and extra none
    # act names matrix jobs by their name and position: "@acme/core-1"
    packages = {re.sub(r"-\d+$", "", j): s for j, s in run.jobs.items() if j != "affected"}
    assert sorted(packages) == ["@acme/cli", "@acme/core"], run
    assert set(packages.values()) == {"succeeded"}, run
    assert "test@@acme/cli" in run.log and "test@@acme/utils" not in run.log
    assert "build@@acme/extra" not in run.log

    # a push that touches no package: the matrix is empty and the package job is skipped
    repo.write("README.md", "# acme\n")
    quiet = repo.commit("docs: readme")
    run = runner.run(repo.path, "packages", payload={"before": head, "after": quiet})
    assert run.jobs == {"affected": "succeeded"}, run
    outputs = json.loads(run_cli("ci", "affected", "--base", head, "--json", cwd=repo.path).stdout)
    assert outputs["packages"] == [] and outputs["root_changed"] is True


def test_the_github_output_lists_only_rows_with_stages(repo: GitRepo, tmp_path: Path) -> None:
    shapes.npm_three(repo, '[stages.t]\nrun = "true"\nper-package = ["@acme/core"]\n')
    repo.write("packages/utils/index.js", "module.exports = 2;\n")
    out = tmp_path / "github-output"
    r = run_cli(
        "ci",
        "affected",
        "--base",
        "HEAD",
        "--github-output",
        cwd=repo.path,
        env={"GITHUB_OUTPUT": str(out)},
    )
    assert r.returncode == 0, r.stderr
    lines = dict(line.split("=", 1) for line in out.read_text().splitlines())
    assert lines["count"] == "1"  # utils and cli are affected, but only core has the stage
    rows = json.loads(lines["matrix"])["include"]
    assert [(row["package"], row["run"]) for row in rows] == [("@acme/core", "t@@acme/core")]
    missing = run_cli("ci", "affected", "--github-output", "--base", "HEAD", cwd=repo.path)
    assert missing.returncode == 2 and "GITHUB_OUTPUT is not set" in missing.stderr
