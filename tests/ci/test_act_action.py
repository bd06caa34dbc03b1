"""shipyard's own composite action (action.yml at the repository root), run by act: a workflow
`uses:` it pinned to a commit, it installs shipyard from that very checkout, runs the command
it is given and keeps .shipyard/cache between runs (a second run restores the stage)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from shipyard.ci.pins import PINS
from tests.ci.act import Runner
from tests.ci.act_samples import commit_all, python_sample
from tests.conftest import GitRepo

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
ACTION_REF = "shipyard-dev/shipyard@" + "5" * 40  # any pinned commit; mapped to a copy below

WORKFLOW = f"""\
name: Pipeline
on: push
permissions: {{}}
jobs:
  pipeline:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@{PINS["actions/checkout"][0]}
        with:
          persist-credentials: false
      - uses: {ACTION_REF}
        with:
          command: run lint
          python-version: "3.11"
"""


def _action_copy(dest: Path) -> Path:
    """What `uses: OWNER/shipyard@SHA` checks out: this repository at that commit."""
    dest.mkdir(parents=True)
    for name in ("action.yml", "src", "pyproject.toml", "README.md", "LICENSE"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def test_the_action_installs_shipyard_from_its_checkout_and_keeps_the_cache(
    repo: GitRepo, runner: Runner, tmp_path: Path
) -> None:
    python_sample(repo)
    repo.write(".github/workflows/pipeline.yml", WORKFLOW)
    commit_all(repo, "ci: use the shipyard action")
    actions = {ACTION_REF: _action_copy(tmp_path / "shipyard-action")}
    first = runner.run(repo.path, "pipeline", actions=actions, artifacts=tmp_path / "a1")
    assert first.jobs == {"pipeline": "succeeded"}, first
    assert "✓ lint passed" in first.log, first
    second = runner.run(repo.path, "pipeline", actions=actions, artifacts=tmp_path / "a2")
    assert second.jobs == {"pipeline": "succeeded"}, second
    assert "✓ lint cached" in second.log, second  # .shipyard/cache came back from the cache


def test_the_action_is_zizmor_clean() -> None:
    zizmor = shutil.which("zizmor")
    assert zizmor, "zizmor comes with the test extra"
    cp = subprocess.run(
        [zizmor, "--offline", "--no-progress", "--pedantic", str(ROOT / "action.yml")],
        capture_output=True,
        text=True,
    )
    assert cp.returncode == 0, cp.stdout + cp.stderr


def test_generated_workflows_use_the_action_with_ci_use_action(
    repo: GitRepo, runner: Runner, tmp_path: Path
) -> None:
    """`[ci] use-action`: every generated step that runs shipyard `uses:` the action (which
    installs shipyard), the setup action installs only the project; run by act."""
    from tests.conftest import run_cli

    python_sample(repo)
    pyproject = repo.path / "pyproject.toml"  # [tool.shipyard.ci] is its last table
    pyproject.write_text(pyproject.read_text() + f'use-action = "{ACTION_REF}"\n')
    generated = run_cli("ci", "generate", cwd=repo.path)
    assert generated.returncode == 0, generated.stderr
    workflows = {p.name: p.read_text() for p in (repo.path / ".github/workflows").glob("*.yml")}
    setup = (repo.path / ".github/actions/setup/action.yml").read_text()
    assert "shipyard==" not in setup  # the action brings shipyard, not the setup action
    for name, text in workflows.items():
        runs = [ln for ln in text.splitlines() if ln.strip().startswith(("run:", "shipyard "))]
        assert not [ln for ln in runs if "shipyard " in ln], (name, runs)
    assert f"uses: {ACTION_REF}\n" in workflows["quality.yml"]
    assert "command: ci generate --check" in workflows["quality.yml"]
    commit_all(repo, "ci: generated workflows that use the action")
    actions = {ACTION_REF: _action_copy(tmp_path / "shipyard-action")}
    quality = runner.run(repo.path, "quality", actions=actions, artifacts=tmp_path / "a")
    assert quality.jobs == {"lint": "succeeded", "ci-files": "succeeded"}, quality
    assert "✓ lint passed" in quality.log and "CI files are up to date" in quality.log
    assert "Successfully installed shipyard-" not in quality.log  # not from the index

    pyproject.write_text(pyproject.read_text().replace(ACTION_REF, "latest"))
    bad = run_cli("ci", "generate", cwd=repo.path)
    assert bad.returncode == 2
    assert "tool.shipyard.ci.use-action: expected false or an action pinned" in bad.stderr
