"""The analytics workflow, run by act: `shipyard metrics`, then the HTML dashboard uploaded as
the GitHub Pages artifact and deployed by a job that alone holds the Pages rights."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.ci.act import Runner
from tests.ci.act_samples import commit_all, python_sample
from tests.ci.test_act_stages import generate
from tests.conftest import GitRepo

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def test_analytics_publishes_the_dashboard_to_pages(
    repo: GitRepo, runner: Runner, tmp_path: Path
) -> None:
    python_sample(repo)
    commit_all(repo, "feat: first release")
    repo.tag("v0.3.0")
    repo.write("src/actpy/extra.py", "X = 1\n")
    commit_all(repo, "fix: a fix after the release")
    generate(repo)
    workflow = yaml.safe_load((repo.path / ".github/workflows/analytics.yml").read_text())
    assert workflow["jobs"]["metrics"]["permissions"] == {"contents": "read"}
    assert set(workflow["jobs"]["deploy"]["permissions"]) == {"pages", "id-token"}
    artifacts = tmp_path / "artifacts"
    run = runner.run(repo.path, "analytics", "workflow_dispatch", artifacts=artifacts)
    assert run.jobs == {"metrics": "succeeded", "deploy": "succeeded"}, run
    page = (artifacts / "pages-site" / "index.html").read_text()
    assert "delivery dashboard" in page
    assert "Key performance indicators" in page
    assert "1 deployments in 30 days" in page  # the v0.3.0 tag, read from the full history
    assert "no pipeline run recorded" in page  # a runner has no run store: said, not hidden
    assert "<script src=" not in page  # one self-contained page, nothing fetched
