"""The alerts workflow, run by act: `shipyard monitor --notify` on a runner reads what exists
there (here a package index that does not know the package: a high alert), delivers to a
local webhook stand-in through the secret the channel names, and keeps its alert state in
the cache between runs, so a still-firing alert is not sent again every 6 hours."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ci.act import Runner
from tests.ci.act_samples import python_sample
from tests.ci.test_act_stages import generate
from tests.conftest import GitRepo
from tests.monitor.servers import Routes, http_server
from tests.release.conftest import Registry

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def test_alerts_workflow_delivers_once_to_the_webhook(
    repo: GitRepo, runner: Runner, tmp_path: Path, package_index: Registry
) -> None:
    python_sample(repo)
    pyproject = repo.path / "pyproject.toml"
    text = pyproject.read_text().replace('name = "actpy"', 'name = "actpy-unpublished"')
    pyproject.write_text(
        text
        + f'\n[tool.shipyard.monitor.registry]\nurl = "{package_index.url.rstrip("/")}"\n'
        + "\n[tool.shipyard.notify.slack]\n"
    )
    generate(repo)
    hook = Routes({"/hook": (200, None, {})})
    with http_server(hook) as url:
        secrets = {"SLACK_WEBHOOK": f"{url}/hook"}
        first = runner.run(
            repo.path, "alerts", "workflow_dispatch", secrets=secrets, artifacts=tmp_path / "a"
        )
        assert first.jobs == {"monitor": "failed"}, first  # a high alert fails the job
        posts = [r for r in hook.requests if r.method == "POST" and r.path == "/hook"]
        assert len(posts) == 1, first
        assert "actpy-unpublished" in str(posts[0].body)
        second = runner.run(
            repo.path, "alerts", "workflow_dispatch", secrets=secrets, artifacts=tmp_path / "b"
        )
        assert second.jobs == {"monitor": "failed"}, second
        posts = [r for r in hook.requests if r.method == "POST" and r.path == "/hook"]
        assert len(posts) == 1, second  # the restored state says: sent already
