"""shipyard's own .github/ is what `shipyard ci generate` makes from its pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from tests.ci.test_validators import actionlint
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]


def test_own_github_files_are_generated_and_current() -> None:
    r = run_cli("ci", "generate", "--check", cwd=ROOT)
    assert (r.returncode, r.stderr.strip()) == (0, "CI files are up to date"), r.stdout + r.stderr


def test_own_workflows_pass_actionlint() -> None:
    r = actionlint(sorted((ROOT / ".github" / "workflows").glob("*.yml")))
    assert r.returncode == 0, r.stdout + r.stderr
