"""shipyard's own .github/ is what `shipyard ci generate` makes from its pyproject.toml."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.ci.test_validators import _tool, actionlint
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]


def test_own_github_files_are_generated_and_current() -> None:
    r = run_cli("ci", "generate", "--check", cwd=ROOT)
    assert (r.returncode, r.stderr.strip()) == (0, "CI files are up to date"), r.stdout + r.stderr


def test_own_workflows_pass_actionlint() -> None:
    r = actionlint(sorted((ROOT / ".github" / "workflows").glob("*.yml")))
    assert r.returncode == 0, r.stdout + r.stderr


def test_own_workflows_pass_zizmor_pedantic() -> None:
    """What shipyard runs on GitHub (its workflows, setup action, Dependabot file and the root
    action.yml), not the stand-in actions under tests/, which only act runs."""
    github = ROOT / ".github"
    paths = [github / "workflows", github / "actions", github / "dependabot.yml"]
    paths.append(ROOT / "action.yml")
    r = subprocess.run(
        [_tool("zizmor"), "--offline", "--no-progress", "--pedantic", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert r.returncode == 0 and "No findings to report" in r.stdout, r.stdout + r.stderr
