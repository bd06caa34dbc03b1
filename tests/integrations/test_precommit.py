"""`.pre-commit-hooks.yaml` consumed by the real pre-commit: a sample repository whose
.pre-commit-config.yaml points at a local clone of this checkout (pre-commit installs shipyard
from it into its own virtualenv, as it would from GitHub)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GitRepo, git

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ["src", "pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml"]
AWS_KEY = "AKIA" + "Z7Q4MXNR3L2KVB6T"  # split so this file itself is not a finding

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding what pre-commit needs of this checkout, as it is now."""
    dest = tmp_path_factory.mktemp("shipyard-hooks")
    for name in SHIPPED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(dest)}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=dest, check=True, env=env)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "x"],
        cwd=dest,
        check=True,
        env=env,
    )
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=dest, check=True, capture_output=True, text=True
    ).stdout.strip()
    return dest, sha


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module: shipyard's hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _sample(repo: GitRepo, hook_repo: tuple[Path, str], hooks: list[str]) -> None:
    path, sha = hook_repo
    ids = "\n".join(f"      - id: {h}" for h in hooks)
    repo.write(
        ".pre-commit-config.yaml",
        f"repos:\n  - repo: {path}\n    rev: {sha}\n    hooks:\n{ids}\n",
    )
    repo.write(
        "shipyard.toml",
        '[stages.lint]\nrun = "! grep -rn FORBIDDEN src"\ninputs = ["src/**"]\n\n'
        '[hooks]\npre-commit = ["lint"]\n',
    )
    repo.write("src/app.py", "print('hello')\n")
    repo.commit("chore: start")


def test_secrets_hook_blocks_a_staged_key_and_passes_clean_changes(
    repo: GitRepo, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    _sample(repo, hook_repo, ["shipyard-secrets"])
    repo.write("src/settings.py", f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\n')
    repo.git("add", "src/settings.py")
    res = _pre_commit(repo.path, pre_commit_home, "run")
    assert res.returncode == 1, res.stdout + res.stderr
    assert "shipyard secrets (staged lines)" in res.stdout
    assert "Failed" in res.stdout
    assert "src/settings.py" in res.stdout
    assert AWS_KEY not in res.stdout  # the finding is shown redacted

    repo.write("src/settings.py", 'AWS_REGION = "eu-west-1"\n')
    repo.git("add", "src/settings.py")
    res = _pre_commit(repo.path, pre_commit_home, "run")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Passed" in res.stdout


def test_lint_staged_hook_runs_the_definition_stages_on_what_is_staged(
    repo: GitRepo, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    _sample(repo, hook_repo, ["shipyard-lint-staged"])
    repo.write("src/app.py", "print('FORBIDDEN')\n")
    repo.git("add", "src/app.py")
    res = _pre_commit(repo.path, pre_commit_home, "run")
    assert res.returncode == 1, res.stdout + res.stderr
    assert "lint failed" in res.stdout
    # pre-commit stashes unstaged edits: a fix left unstaged does not make the commit pass
    repo.write("src/app.py", "print('fine')\n")
    res = _pre_commit(repo.path, pre_commit_home, "run")
    assert res.returncode == 1, res.stdout + res.stderr
    repo.git("add", "src/app.py")
    res = _pre_commit(repo.path, pre_commit_home, "run")
    assert res.returncode == 0, res.stdout + res.stderr


def test_ci_check_hook_fails_until_the_workflows_are_generated(
    repo: GitRepo, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    _sample(repo, hook_repo, ["shipyard-ci-check"])
    res = _pre_commit(repo.path, pre_commit_home, "run", "--all-files")
    assert res.returncode == 1, res.stdout + res.stderr
    assert "shipyard ci generate --check" in res.stdout
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(
        [sys.executable, "-m", "shipyard", "ci", "generate"],
        cwd=repo.path,
        env=env,
        check=True,
        capture_output=True,
    )
    git(repo.path, "add", "-A")
    res = _pre_commit(repo.path, pre_commit_home, "run", "--all-files")
    assert res.returncode == 0, res.stdout + res.stderr
